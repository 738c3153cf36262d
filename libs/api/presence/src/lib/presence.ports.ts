import type { RepLoad } from '@servicekit/api/match';

/**
 * What happens when someone has left for good (no connection within the grace period): calls end, places
 * are freed. The help-session lib does it; the composition root binds it.
 */
export abstract class Departures {
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
