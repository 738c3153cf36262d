import { apiStore } from './api-store';

describe('apiStore', () => {
  it('should work', () => {
    expect(apiStore()).toEqual('api-store');
  });
});
