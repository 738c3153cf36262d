import { computed, Injectable } from '@angular/core';
import type { ClaimNextResponse, RepState } from '@servicekit/contracts';
import type { Presence } from '@servicekit/web/data-access';
import { type CallSessionEvent, type CallSessionState, repEvent, repMatch, type RepMatch } from './call-session.machine';
import { CallSession } from './call-session.store';

/** The rep's side of the call session: online, the claimed customer's call, and how it ended. */
@Injectable()
export class RepCallSession extends CallSession<RepMatch, RepState> {
  protected readonly role = 'rep';
  /** Customers waiting, as last pushed to this rep. */
  readonly waiting = computed(() => this.presence()?.waiting() ?? null);

  /**
   * A customer taken with Next Customer, or the current one fetched again after a reload: joins their call.
   * A call the server already confirmed resumes as such.
   */
  claimed(claim: ClaimNextResponse): void {
    const pushed = this.presence()?.repState();
    const acknowledged = !!pushed && 'matchId' in pushed && pushed.matchId === claim.matchId;
    const match = repMatch(claim);
    this.apply({ type: 'matched', match, acknowledged });
    if (pushed?.state === 'in-call' && pushed.matchId === claim.matchId) {
      this.apply({ type: 'connected', match, partnerAway: pushed.partnerAway === true });
    }
  }

  protected pushedState(presence: Presence): RepState | null {
    return presence.repState();
  }

  protected toEvent(pushed: RepState, current: CallSessionState<RepMatch>): CallSessionEvent<RepMatch> | null {
    return repEvent(pushed, current);
  }
}
