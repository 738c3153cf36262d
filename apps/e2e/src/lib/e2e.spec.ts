import { e2e } from './e2e';

describe('e2e', () => {
  it('should work', () => {
    expect(e2e()).toEqual('e2e');
  });
});
