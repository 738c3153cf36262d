import { EXACT_POSITIONS_UP_TO, shownPosition } from './presence';

describe('shownPosition', () => {
  it('should be exact up to the limit, then keep two significant digits', () => {
    expect([1, 2, 57, EXACT_POSITIONS_UP_TO].map(shownPosition)).toEqual([1, 2, 57, 100]);
    expect([101, 104, 105, 999, 1_000, 2_345, 2_350, 9_949, 9_950, 12_345].map(shownPosition)).toEqual([
      100, 100, 110, 1_000, 1_000, 2_300, 2_400, 9_900, 10_000, 12_000,
    ]);
  });

  it('should change about 280 times while 10,000 customers ahead are served one by one', () => {
    let changes = 0;
    for (let position = 10_000; position > 1; position--) if (shownPosition(position - 1) !== shownPosition(position)) changes++;
    process.stdout.write(`shown position changes from 10,000 to 1: ${changes}\n`);
    expect(changes).toBeGreaterThan(250);
    expect(changes).toBeLessThan(300);
  });
});
