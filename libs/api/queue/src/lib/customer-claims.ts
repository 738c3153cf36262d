import type { RepIdentity } from '@servicekit/api/rep-auth';
import type { ClaimNextResponse } from '@servicekit/contracts';

/**
 * Hands a waiting customer to a rep: what `POST /api/queue/next` asks for. The queue only knows tickets; making
 * the reservation (the customer's details, video credentials, the no-show deadline) is the match's work, so
 * the match implements this port and the queue stays below it in the dependency graph.
 */
export abstract class CustomerClaims {
  /** A reservation for the rep, or null when nobody waits (after waiting up to `waitMs` for an arrival). */
  abstract claimNext(rep: RepIdentity, waitMs: number, signal?: AbortSignal): Promise<ClaimNextResponse | null>;
  /**
   * The rep's current reservation or call again, in the shape of the claim, with fresh video credentials: a
   * reloaded console resumes it. Null when the rep has none.
   */
  abstract currentClaim(rep: RepIdentity): Promise<ClaimNextResponse | null>;
}
