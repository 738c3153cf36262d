/** "About 2 minutes." from an estimate in milliseconds; nothing when unknown. */
export function waitText(estimatedWaitMs: number | null): string {
  if (estimatedWaitMs === null) return '';
  const minutes = Math.round(estimatedWaitMs / 60_000);
  if (minutes < 1) return $localize`:@@wait.underMinute:The wait should be under a minute.`;
  return minutes === 1
    ? $localize`:@@wait.oneMinute:The wait is about 1 minute.`
    : $localize`:@@wait.minutes:The wait is about ${minutes}:minutes: minutes.`;
}

/** While waiting without an estimate: the server gives none when no rep is online (issue 17, honest waits). */
export function noRepOnlineText(): string {
  return $localize`:@@wait.noRepOnline:No representative is online; you can wait or leave a callback request.`;
}
