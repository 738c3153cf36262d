export type StoreErrorReason = 'timeout' | 'unavailable' | 'auth' | 'invalid-key' | 'invalid-argument' | 'protocol';

/** The one error every KeyValueStore adapter fails with; `message` is a sentence an operator can act on. */
export class StoreError extends Error {
  constructor(
    readonly reason: StoreErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}
