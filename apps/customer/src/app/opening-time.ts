import { pageLocale } from '@servicekit/web/i18n';

/**
 * When the service opens, in the customer's own time zone and in the page's language, e.g.
 * "Thursday 3 December, 09:00 GMT+1". `timeZone` only for tests; the page always uses the browser's.
 */
export function openingTime(iso: string, timeZone?: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale ?? pageLocale(), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso));
}
