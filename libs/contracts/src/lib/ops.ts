/** `GET /api/ops/queue` (operator token): the live queue for operators. */
export interface OpsWaitingEntry {
  helpSessionId: string;
  position: number;
  waitedMs: number;
  /** The customer holds a live presence connection. */
  connected: boolean;
  /** Only with `?pii=1`. */
  customerName?: string;
  problemText?: string;
}

export interface OpsQueueResponse {
  queueLength: number;
  oldestWaitMs: number;
  waiting: OpsWaitingEntry[];
  repsOnline: number;
  repsBusy: number;
  callsInProgress: number;
  /** ISO 8601. */
  generatedAt: string;
}
