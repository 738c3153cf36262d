import { openingTime } from './opening-time';

describe('openingTime', () => {
  it("should say the opening in the customer's own time zone", () => {
    const opensAt = '2026-12-03T00:00:00.000Z';
    expect(openingTime(opensAt, 'Asia/Tokyo', 'en-GB')).toMatch(/Thursday.*3 December.*09:00/);
    expect(openingTime(opensAt, 'America/New_York', 'en-GB')).toMatch(/Wednesday.*2 December.*19:00/);
  });
});
