/** Live figures about people connected, across every API instance (read from the store). */
export interface PresenceSnapshot {
  /** Reps holding a presence connection on any instance. */
  repsOnline: number;
  /** Of those, reps reserved for or in a call. */
  repsBusy: number;
  /** Matches confirmed and not yet ended. */
  callsInProgress: number;
  /** Open presence sockets on all instances. */
  openSockets: number;
}

/**
 * What operators (health, /api/ops/queue, metrics, the landing page) read about presence. Implemented by
 * the presence lib (InstanceFigures); an abstract class used as its own DI token.
 */
export abstract class PresenceStats {
  abstract snapshot(): Promise<PresenceSnapshot>;
  /** For each help session, whether its customer holds a live connection now. */
  abstract customersConnected(helpSessionIds: string[]): Promise<boolean[]>;
}
