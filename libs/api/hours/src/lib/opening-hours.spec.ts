import { loadServiceKitConfig } from '@servicekit/api/config';
import { OpeningHours } from './opening-hours';

const hours = (OPENING_HOURS: string, CLOSED_DATES?: string) =>
  new OpeningHours(loadServiceKitConfig({ OPENING_HOURS, ...(CLOSED_DATES ? { CLOSED_DATES } : {}) }).openingHours);
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const BERLIN = 'Mon-Fri 09:00-17:30, Sat 10:00-14:00; Europe/Berlin';

describe('OpeningHours', () => {
  it('should be always open without a schedule', () => {
    const always = new OpeningHours(null);
    expect(always.isOpen(at('2026-03-29T01:30:00Z'))).toBe(true);
    expect(always.nextOpening(at('2026-03-29T01:30:00Z'))).toBeNull();
  });

  it('should be open on a winter weekday in Berlin from 09:00 CET (08:00 UTC) to 17:30', () => {
    const berlin = hours(BERLIN);
    // Wednesday 2026-01-14.
    expect(berlin.isOpen(at('2026-01-14T07:59:59Z'))).toBe(false);
    expect(berlin.isOpen(at('2026-01-14T08:00:00Z'))).toBe(true);
    expect(berlin.isOpen(at('2026-01-14T16:29:59Z'))).toBe(true);
    expect(berlin.isOpen(at('2026-01-14T16:30:00Z'))).toBe(false);
    expect(iso(berlin.nextOpening(at('2026-01-14T16:30:00Z')))).toBe('2026-01-15T08:00:00.000Z');
  });

  it('should open at 09:00 local on each side of the spring DST switch (29 March 2026)', () => {
    const berlin = hours(BERLIN);
    // Saturday 28 March, CET (UTC+1): 10:00-14:00 local is 09:00-13:00 UTC.
    expect(berlin.isOpen(at('2026-03-28T09:00:00Z'))).toBe(true);
    expect(berlin.isOpen(at('2026-03-28T13:00:00Z'))).toBe(false);
    // Closed all Sunday (the night clocks jump 02:00 → 03:00); Monday opens at 09:00 CEST = 07:00 UTC.
    expect(iso(berlin.nextOpening(at('2026-03-28T13:00:00Z')))).toBe('2026-03-30T07:00:00.000Z');
    expect(iso(berlin.nextOpening(at('2026-03-29T01:30:00Z')))).toBe('2026-03-30T07:00:00.000Z');
    expect(berlin.isOpen(at('2026-03-30T06:59:59Z'))).toBe(false);
    expect(berlin.isOpen(at('2026-03-30T07:00:00Z'))).toBe(true);
    expect(berlin.isOpen(at('2026-03-30T15:29:59Z'))).toBe(true);
    expect(berlin.isOpen(at('2026-03-30T15:30:00Z'))).toBe(false);
  });

  it('should open at 09:00 local after the autumn DST switch (25 October 2026), one hour later in UTC', () => {
    const berlin = hours(BERLIN);
    // Friday 23 October, CEST: closes 17:30 local = 15:30 UTC.
    expect(berlin.isOpen(at('2026-10-23T15:29:00Z'))).toBe(true);
    expect(berlin.isOpen(at('2026-10-23T15:30:00Z'))).toBe(false);
    // Monday 26 October, CET: opens 09:00 local = 08:00 UTC.
    expect(iso(berlin.nextOpening(at('2026-10-24T12:30:00Z')))).toBe('2026-10-26T08:00:00.000Z');
  });

  it('should keep a window that spans the missing and the repeated hour of the switch nights', () => {
    const night = hours('Sun 01:00-04:00; Europe/Berlin');
    // 29 March: 01:00 CET = 00:00 UTC to 04:00 CEST = 02:00 UTC (two real hours).
    expect(night.isOpen(at('2026-03-28T23:59:59Z'))).toBe(false);
    expect(night.isOpen(at('2026-03-29T00:00:00Z'))).toBe(true);
    expect(night.isOpen(at('2026-03-29T01:59:59Z'))).toBe(true);
    expect(night.isOpen(at('2026-03-29T02:00:00Z'))).toBe(false);
    // 25 October: 01:00 CEST = 23:00 UTC on the 24th to 04:00 CET = 03:00 UTC (four real hours).
    expect(night.isOpen(at('2026-10-24T23:00:00Z'))).toBe(true);
    expect(night.isOpen(at('2026-10-25T02:59:59Z'))).toBe(true);
    expect(night.isOpen(at('2026-10-25T03:00:00Z'))).toBe(false);
  });

  it('should move a window that opens in the missing hour to when the clocks resume', () => {
    const odd = hours('Sun 02:30-05:00; Europe/Berlin');
    // 02:30 does not exist on 29 March 2026: the window opens at 03:30 CEST = 01:30 UTC (luxon moves forward).
    expect(iso(odd.nextOpening(at('2026-03-28T12:00:00Z')))).toBe('2026-03-29T01:30:00.000Z');
    expect(odd.isOpen(at('2026-03-29T01:29:59Z'))).toBe(false);
    expect(odd.isOpen(at('2026-03-29T01:30:00Z'))).toBe(true);
  });

  it('should stay closed on a closed date in the zone and open on the next working day', () => {
    const berlin = hours(BERLIN, '2026-12-24,2026-12-25');
    // Thursday 24 December 10:00 CET: closed date.
    expect(berlin.isOpen(at('2026-12-24T09:00:00Z'))).toBe(false);
    // Friday 25 closed too, Saturday 26 opens 10:00 CET = 09:00 UTC.
    expect(iso(berlin.nextOpening(at('2026-12-24T09:00:00Z')))).toBe('2026-12-26T09:00:00.000Z');
  });

  it('should count the date in the zone, not in UTC', () => {
    const berlin = hours(BERLIN);
    expect(berlin.dateOf(at('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
    expect(new OpeningHours(null).dateOf(at('2026-06-30T22:30:00Z'))).toBe('2026-06-30');
  });

  it('should close at midnight with 24:00', () => {
    const late = hours('Fri 20:00-24:00; UTC');
    expect(late.isOpen(at('2026-01-16T23:59:59Z'))).toBe(true);
    expect(late.isOpen(at('2026-01-17T00:00:00Z'))).toBe(false);
  });
});
