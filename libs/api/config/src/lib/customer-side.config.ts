import type { BrandConfig, OpeningHoursConfig, OpeningWindow } from './service-kit.config';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const OPENING_HOURS_EXAMPLE = 'write it like "Mon-Fri 09:00-17:30, Sat 10:00-14:00; Europe/Berlin"';

/** Whether the runtime's time-zone database knows the IANA zone (Intl throws a RangeError otherwise). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

/**
 * `OPENING_HOURS`: comma-separated rules `<day or day range> HH:MM-HH:MM`, then `;` and an IANA time zone.
 * Several rules may name the same day (a lunch break); `24:00` ends at midnight. Throws a sentence naming
 * the variable.
 */
export function parseOpeningHours(value: string): Pick<OpeningHoursConfig, 'zone' | 'windows'> {
  const [rulesPart, zonePart, extra] = value.split(';').map((part) => part.trim());
  if (!rulesPart || !zonePart || extra !== undefined) {
    throw new Error(`OPENING_HOURS needs the hours, a ";" and a time zone: ${OPENING_HOURS_EXAMPLE} (got "${value}")`);
  }
  if (!isTimeZone(zonePart)) {
    throw new Error(`OPENING_HOURS names the time zone "${zonePart}", which is not an IANA time zone such as Europe/Berlin`);
  }
  const windows: OpeningWindow[] = [];
  for (const rule of rulesPart.split(',').map((r) => r.trim())) {
    const match = /^([A-Za-z]{3})(?:\s*-\s*([A-Za-z]{3}))?\s+(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})$/.exec(rule);
    if (!match) throw new Error(`OPENING_HOURS has the rule "${rule}", which is not "<days> HH:MM-HH:MM": ${OPENING_HOURS_EXAMPLE}`);
    const [, first, last, fromH, fromM, toH, toM] = match;
    const from = dayNumber(first ?? '', rule);
    const to = last === undefined ? from : dayNumber(last, rule);
    if (to < from) throw new Error(`OPENING_HOURS has the day range in "${rule}" backwards: write it from Monday towards Sunday`);
    const fromMinute = minuteOfDay(fromH, fromM, rule);
    const toMinute = minuteOfDay(toH, toM, rule);
    if (toMinute <= fromMinute) throw new Error(`OPENING_HOURS has "${rule}", which closes before it opens`);
    for (let day = from; day <= to; day++) windows.push({ weekday: day, fromMinute, toMinute });
  }
  return { zone: zonePart, windows };
}

/** `CLOSED_DATES`: comma-separated ISO dates (YYYY-MM-DD), days in the opening hours' time zone. */
export function parseClosedDates(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .filter((d) => d.length > 0)
    .map((date) => {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
      const parsed = match ? new Date(`${date}T00:00:00Z`) : null;
      if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
        throw new Error(`CLOSED_DATES has "${date}", which is not a date written YYYY-MM-DD (for example 2026-12-24)`);
      }
      return date;
    });
}

/** `BRAND_*`: what the pages show instead of "Service Kit". */
export function parseBrand(
  name: string | undefined,
  color: string | undefined,
  logoUrl: string | undefined,
  problems: string[],
): BrandConfig {
  if (color !== undefined && !/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(color)) {
    problems.push(`BRAND_COLOR must be a hex colour such as #0b5fff or #05f (got "${color}")`);
  }
  if (logoUrl !== undefined && !isLogoUrl(logoUrl)) {
    problems.push(`BRAND_LOGO_URL must be a path on this site such as /assets/logo.svg, or an https URL (got "${logoUrl}")`);
  }
  return { name: name ?? 'Service Kit', color: color?.toLowerCase() ?? null, logoUrl: logoUrl ?? null };
}

/** Same-origin paths (not protocol-relative "//host") or https URLs; never javascript:, data: or http:. */
function isLogoUrl(value: string): boolean {
  if (/[\s"'<>\\]/.test(value)) return false;
  if (value.startsWith('/')) return !value.startsWith('//');
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.length > 0 && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

function dayNumber(name: string, rule: string): number {
  const index = DAYS.indexOf(name.toLowerCase() as (typeof DAYS)[number]);
  if (index < 0) throw new Error(`OPENING_HOURS has "${name}" in "${rule}", which is not a day: use Mon, Tue, Wed, Thu, Fri, Sat or Sun`);
  return index + 1;
}

function minuteOfDay(hours: string | undefined, minutes: string | undefined, rule: string): number {
  const h = Number(hours);
  const m = Number(minutes);
  if (h > 24 || m > 59 || (h === 24 && m !== 0))
    throw new Error(`OPENING_HOURS has a time in "${rule}" that does not exist: use 00:00 to 24:00`);
  return h * 60 + m;
}
