import type { CustomerState, EndReason, RepState } from '@servicekit/contracts';

/**
 * Whether a waiting customer is present (presence module: a live connection, or within its grace period).
 * Without a presence module every queued customer counts as present.
 */
export abstract class CustomerPresence {
  /** A customer who just queued gets the grace period to connect. */
  abstract expect(helpSessionId: string): Promise<void>;
  abstract check(helpSessionId: string): Promise<'yes' | 'gone' | 'later'>;
}

/** Pushes state changes to the people concerned, wherever they are connected (presence module). */
export abstract class CallNotifier {
  abstract customer(helpSessionId: string, state: CustomerState): Promise<void>;
  abstract rep(repId: string, state: RepState): Promise<void>;
}

export type { EndReason };
