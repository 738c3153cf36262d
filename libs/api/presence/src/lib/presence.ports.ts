import type { RepLoad } from '@servicekit/api/match';

/**
 * What happens when someone's connection is lost (the last socket closed, or the instance holding it died):
 * at once, `…Away`; when they come back within their window, `…Back`; when they do not, `…Left`: calls end,
 * places are freed. The help-session lib does it; the composition root binds it.
 */
export abstract class Departures {
  /**
   * True when they are in a confirmed call: their partner has been told, and they get the rejoin window
   * (CALL_REJOIN_MS) instead of the grace period.
   */
  abstract customerAway(helpSessionId: string): Promise<boolean>;
  abstract repAway(repId: string): Promise<boolean>;
  abstract customerBack(helpSessionId: string): Promise<void>;
  abstract repBack(repId: string): Promise<void>;
  abstract customerLeft(helpSessionId: string): Promise<void>;
  abstract repLeft(repId: string): Promise<void>;
}

/**
 * For this instance's figures: of these reps, how many are busy with a customer and how many are in a call.
 * The match knows; the composition root binds it, so presence reads no match keys.
 */
export abstract class RepActivity {
  abstract activityOf(repIds: string[]): Promise<RepLoad>;
}

/**
 * What the instance holding a customer's socket keeps so that it can write the help session back if the
 * store loses it (a memcached restart). It holds personal data: it stays in process memory, only while the
 * customer is connected here, and never reaches a log. Opaque to presence.
 */
export interface RestoreKit {
  readonly helpSessionId: string;
}

/** Restores the help sessions of connected customers after the store lost them (the help-session lib). */
export abstract class CustomerRecovery {
  /** What it takes to restore this help session as it is now; null when there is nothing to restore. */
  abstract kit(helpSessionId: string): Promise<RestoreKit | null>;
  /**
   * The store lost its keys (generation `epoch`): write back what is missing, queue the customers who
   * were waiting in their old order, keep the calls going.
   */
  abstract restore(kits: readonly RestoreKit[], epoch: string): Promise<void>;
}
