import type { OpsQueueResponse, OpsWaitingEntry } from '@servicekit/contracts';

/** `GET /api/ops/queue` as this page reads it (the contract lives in libs/contracts). */
export type OpsQueueView = OpsQueueResponse;
export type { OpsWaitingEntry };

/** "45 s", "3 min 05 s", "1 h 02 min": short enough for a table cell, exact enough for an operator. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
