import { waitText } from './wait-text';

describe('waitText', () => {
  it('should say the wait in whole minutes, and nothing when unknown', () => {
    expect(waitText(null)).toBe('');
    expect(waitText(20_000)).toBe('The wait should be under a minute.');
    expect(waitText(60_000)).toBe('The wait is about 1 minute.');
    expect(waitText(150_000)).toBe('The wait is about 3 minutes.');
  });
});
