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

  /** A customer taken with Next Customer: joins their call. */
  claimed(claim: ClaimNextResponse): void {
    const pushed = this.presence()?.repState();
    const acknowledged = !!pushed && 'matchId' in pushed && pushed.matchId === claim.matchId;
    this.apply({ type: 'matched', match: repMatch(claim), acknowledged });
  }

  protected pushedState(presence: Presence): RepState | null {
    return presence.repState();
  }

  protected toEvent(pushed: RepState, current: CallSessionState<RepMatch>): CallSessionEvent<RepMatch> | null {
    return repEvent(pushed, current);
  }

  /** The rep offers: each call starts with a clean inbox, so stray signals of the previous call cannot reach it. */
  protected override beforeJoin(presence: Presence): void {
    presence.clearPendingSignals();
  }
}
