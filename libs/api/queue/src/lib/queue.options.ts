export interface QueueOptions {
  /** How long a waiting entry may live in the store (the longest anyone may wait). */
  entryTtlSeconds: number;
  /** Estimated time between two claims before any claim has been measured. */
  defaultClaimIntervalMs: number;
  /** How often a long-polling rep checks the store for an arrival made on another instance. */
  arrivalPollMs: number;
}

export const QUEUE_DEFAULT_OPTIONS: QueueOptions = {
  entryTtlSeconds: 4 * 60 * 60,
  defaultClaimIntervalMs: 60_000,
  arrivalPollMs: 200,
};

/** Nest provider token for `Partial<QueueOptions>`; anything left out takes the default. */
export const QUEUE_OPTIONS = Symbol('QUEUE_OPTIONS');
