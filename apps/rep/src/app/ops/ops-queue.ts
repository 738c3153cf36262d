/**
 * `GET /api/ops/queue` as the API answers it (libs/api/ops). Kept here because only this page reads it; if
 * another app ever does, it belongs in libs/contracts.
 */
export interface OpsWaitingEntry {
  helpSessionId: string;
  position: number;
  waitedMs: number;
  connected: boolean;
  /** Only with `?pii=1`. */
  customerName?: string;
  problemText?: string;
}

export interface OpsQueueView {
  queueLength: number;
  oldestWaitMs: number;
  waiting: OpsWaitingEntry[];
  repsOnline: number;
  repsBusy: number;
  callsInProgress: number;
  generatedAt: string;
}

/** "45 s", "3 min 05 s", "1 h 02 min": short enough for a table cell, exact enough for an operator. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
