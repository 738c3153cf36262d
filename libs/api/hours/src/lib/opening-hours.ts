import type { OpeningHoursConfig } from '@servicekit/api/config';
import { DateTime } from 'luxon';

/** How far ahead the next opening is looked for (a schedule of closed dates may run a while). */
const LOOKAHEAD_DAYS = 400;

/**
 * The opening hours in their time zone. Local wall-clock times are turned into instants by luxon, so a
 * window keeps its local times across a DST switch (09:00 stays 09:00) and a local time that does not exist
 * that night moves forward as the zone does. `null` config: always open.
 */
export class OpeningHours {
  constructor(private readonly config: OpeningHoursConfig | null) {}

  get alwaysOpen(): boolean {
    return this.config === null;
  }

  /** The zone days are counted in (for per-day figures): the opening hours' zone, else UTC. */
  get zone(): string {
    return this.config?.zone ?? 'UTC';
  }

  isOpen(now: number): boolean {
    if (!this.config) return true;
    const local = DateTime.fromMillis(now, { zone: this.config.zone });
    return this.windowsOf(local).some(([from, to]) => from <= now && now < to);
  }

  /** The next instant the service opens, after `now` (null: always open, or never again within a year). */
  nextOpening(now: number): number | null {
    if (!this.config) return null;
    const start = DateTime.fromMillis(now, { zone: this.config.zone }).startOf('day');
    for (let offset = 0; offset <= LOOKAHEAD_DAYS; offset++) {
      const day = start.plus({ days: offset });
      const opening = this.windowsOf(day)
        .map(([from]) => from)
        .filter((from) => from > now)
        .sort((a, b) => a - b)[0];
      if (opening !== undefined) return opening;
    }
    return null;
  }

  /** The calendar date (YYYY-MM-DD) of `now` in the zone. */
  dateOf(now: number): string {
    return DateTime.fromMillis(now, { zone: this.zone }).toISODate() ?? new Date(now).toISOString().slice(0, 10);
  }

  /** That local day's windows as [from, to) instants; none on a closed date. */
  private windowsOf(local: DateTime): [number, number][] {
    const config = this.config;
    if (!config) return [];
    const date = local.toISODate();
    if (date !== null && config.closedDates.includes(date)) return [];
    const midnight = local.startOf('day');
    return config.windows
      .filter((window) => window.weekday === local.weekday)
      .map((window) => [this.at(midnight, window.fromMinute), this.at(midnight, window.toMinute)]);
  }

  /** A wall-clock minute of that local day as an instant (24:00 is the next midnight). */
  private at(midnight: DateTime, minute: number): number {
    if (minute >= 24 * 60) return midnight.plus({ days: 1 }).startOf('day').toMillis();
    return midnight.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis();
  }
}
