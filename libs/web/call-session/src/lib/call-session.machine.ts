import type { ClaimNextResponse, CustomerState, EndReason, RepState, VideoCredentials } from '@servicekit/contracts';

/**
 * The call session of one page, from the presence socket opening to the end of the call, as one state
 * machine: plain functions, no Angular. `CallSession` runs it in signals and carries out its commands.
 */

/** Why a call session ended: the server's reasons, and the ones only this page can tell. */
export type CallEndReason =
  | EndReason
  /** Rep side: the customer's media did not arrive in time; the server put them back at the front of the queue. */
  | 'no-show'
  /** Rep side: the server dropped the match (this side was away too long) and handed the customer back. */
  | 'interrupted'
  /** The server refused the presence socket: the token or the help session is no longer valid. */
  | 'refused';

/** One reservation of a rep for a customer, and how to join its video call. */
export interface CallMatch {
  readonly matchId: string;
  readonly video: VideoCredentials;
}

/** The match as a customer sees it. */
export interface CustomerMatch extends CallMatch {
  readonly repName: string;
}

/** The match as a rep sees it: whom they talk to and why (the customer's words, for this call only). */
export interface RepMatch extends CallMatch {
  readonly helpSessionId: string;
  readonly customerName: string;
  readonly problemText: string;
  readonly waitedMs: number;
  /** The customer's media must be up within this long, or they go back to the front of the queue. */
  readonly noShowMs: number;
}

export function repMatch(claim: ClaimNextResponse): RepMatch {
  const { id, customerName, problemText, waitedMs } = claim.helpSession;
  return { matchId: claim.matchId, video: claim.video, helpSessionId: id, customerName, problemText, waitedMs, noShowMs: claim.noShowMs };
}

export type CallSessionState<M extends CallMatch = CallMatch> =
  /** No presence socket: before the page opens one, and after it closed it. */
  | { readonly kind: 'offline' }
  /** The socket is open; the server has not said yet where this side stands. */
  | { readonly kind: 'connecting' }
  /** Nothing going on: a customer's help session not in the queue, a rep online without a customer. */
  | { readonly kind: 'idle' }
  /** A customer in the queue (1 is next). */
  | { readonly kind: 'waiting'; readonly position: number; readonly estimatedWaitMs: number | null }
  /**
   * Matched, media not confirmed by both sides yet. `acknowledged`: the server has told this socket about
   * the match (a rep learns of it from the claim first). `mediaReported`: this side said its media is up.
   */
  | { readonly kind: 'reserved'; readonly match: M; readonly acknowledged: boolean; readonly mediaReported: boolean }
  /** Both sides' media confirmed by the server. */
  | { readonly kind: 'in-call'; readonly match: M; readonly mediaReported: boolean }
  /** Over, with why; `match` is the call that ended, if there was one. */
  | { readonly kind: 'ended'; readonly reason: CallEndReason; readonly match: M | null };

export type CallSessionKind = CallSessionState['kind'];

export type CallSessionEvent<M extends CallMatch = CallMatch> =
  /** The page opened the presence socket. */
  | { readonly type: 'open' }
  /** The server: connected, nothing going on. */
  | { readonly type: 'present' }
  /** This page's own request to join the queue was answered (the server's pushes may have overtaken it). */
  | { readonly type: 'enqueued'; readonly position: number; readonly estimatedWaitMs: number | null }
  /** The server: in the queue (also when handed back from a match). */
  | { readonly type: 'queued'; readonly position: number; readonly estimatedWaitMs: number | null }
  /** A match: the server's reservation (acknowledged) or a rep's claim (acknowledged if the server said so already). */
  | { readonly type: 'matched'; readonly match: M; readonly acknowledged: boolean }
  /** The server: both sides' media are up for the match. */
  | { readonly type: 'connected'; readonly match: M }
  /** The server reports a call in progress that this page knows nothing of (rep side, after a reload). */
  | { readonly type: 'stale'; readonly helpSessionId: string }
  /** The other side's media arrived in this page's call for the match. */
  | { readonly type: 'media-up'; readonly matchId: string }
  | { readonly type: 'ended'; readonly reason: CallEndReason }
  /** The page closed the socket; an ended session stays ended, so its reason can still be shown. */
  | { readonly type: 'close' }
  /** Back to the start, for a new request. */
  | { readonly type: 'reset' };

/** What the session must do after a transition, in this order. */
export type CallSessionCommand<M extends CallMatch = CallMatch> =
  /** Join the match's video call (after any call being left is gone). */
  | { readonly type: 'join'; readonly match: M }
  | { readonly type: 'leave' }
  /** Tell the server this side's media is up (the two-phase match); once per match. */
  | { readonly type: 'report-media'; readonly matchId: string }
  /** Let the page end a call nobody can see. */
  | { readonly type: 'end-stale'; readonly helpSessionId: string };

export interface CallSessionTransition<M extends CallMatch = CallMatch> {
  /** The same object as before when nothing changed. */
  readonly state: CallSessionState<M>;
  readonly commands: readonly CallSessionCommand<M>[];
}

export const OFFLINE: CallSessionState<never> = { kind: 'offline' };

/** The match of a reserved or running call, else null. */
export function matchOf<M extends CallMatch>(state: CallSessionState<M>): M | null {
  return state.kind === 'reserved' || state.kind === 'in-call' ? state.match : null;
}

export function transition<M extends CallMatch>(state: CallSessionState<M>, event: CallSessionEvent<M>): CallSessionTransition<M> {
  const match = matchOf(state);
  const leave: CallSessionCommand<M>[] = match ? [{ type: 'leave' }] : [];
  const stay: CallSessionTransition<M> = { state, commands: [] };
  switch (event.type) {
    case 'open':
      return state.kind === 'offline' ? { state: { kind: 'connecting' }, commands: [] } : stay;
    case 'present':
      return state.kind === 'connecting' ? { state: { kind: 'idle' }, commands: [] } : stay;
    case 'enqueued':
      if (state.kind !== 'connecting' && state.kind !== 'idle') return stay;
      return { state: waiting(event), commands: [] };
    case 'queued':
      if (state.kind === 'offline' || state.kind === 'ended') return stay;
      return { state: waiting(event), commands: leave };
    case 'matched':
      if (state.kind === 'offline') return stay;
      if (match?.matchId === event.match.matchId) {
        if (state.kind !== 'reserved' || state.acknowledged || !event.acknowledged) return stay;
        return { state: { ...state, acknowledged: true }, commands: [] };
      }
      return {
        state: { kind: 'reserved', match: event.match, acknowledged: event.acknowledged, mediaReported: false },
        commands: [...leave, { type: 'join', match: event.match }],
      };
    case 'connected':
      if (state.kind === 'offline' || state.kind === 'ended') return stay;
      if (match?.matchId === event.match.matchId) {
        if (state.kind === 'in-call') return stay;
        return { state: { kind: 'in-call', match, mediaReported: state.kind === 'reserved' && state.mediaReported }, commands: [] };
      }
      // A call already running when this page arrived (a reload): join it.
      return {
        state: { kind: 'in-call', match: event.match, mediaReported: false },
        commands: [...leave, { type: 'join', match: event.match }],
      };
    case 'stale':
      return state.kind === 'offline' ? stay : { state, commands: [{ type: 'end-stale', helpSessionId: event.helpSessionId }] };
    case 'media-up':
      if ((state.kind !== 'reserved' && state.kind !== 'in-call') || state.match.matchId !== event.matchId || state.mediaReported) {
        return stay;
      }
      return { state: { ...state, mediaReported: true }, commands: [{ type: 'report-media', matchId: event.matchId }] };
    case 'ended':
      if (state.kind === 'ended') return stay;
      return { state: { kind: 'ended', reason: event.reason, match }, commands: leave };
    case 'close':
      if (state.kind === 'ended' || state.kind === 'offline') return stay;
      return { state: OFFLINE, commands: leave };
    case 'reset':
      return state.kind === 'offline' ? stay : { state: OFFLINE, commands: leave };
  }
}

function waiting(place: { position: number; estimatedWaitMs: number | null }): CallSessionState<never> {
  return { kind: 'waiting', position: place.position, estimatedWaitMs: place.estimatedWaitMs };
}

/** What a customer state pushed by the server means for the session. */
export function customerEvent(state: CustomerState): CallSessionEvent<CustomerMatch> {
  switch (state.state) {
    case 'idle':
      return { type: 'present' };
    case 'waiting':
      return { type: 'queued', position: state.position, estimatedWaitMs: state.estimatedWaitMs };
    case 'reserved':
      return { type: 'matched', match: customerMatch(state), acknowledged: true };
    case 'in-call':
      return { type: 'connected', match: customerMatch(state) };
    case 'ended':
      return { type: 'ended', reason: state.reason };
  }
}

function customerMatch(state: { matchId: string; repName: string; video: VideoCredentials }): CustomerMatch {
  return { matchId: state.matchId, repName: state.repName, video: state.video };
}

/** What a rep state pushed by the server means for the session; null when it concerns another help session. */
export function repEvent(state: RepState, current: CallSessionState<RepMatch>): CallSessionEvent<RepMatch> | null {
  const match = matchOf(current);
  switch (state.state) {
    case 'available': {
      const acknowledged = current.kind === 'in-call' || (current.kind === 'reserved' && current.acknowledged);
      return acknowledged ? { type: 'ended', reason: 'interrupted' } : { type: 'present' };
    }
    case 'reserved':
      return match?.matchId === state.matchId ? { type: 'matched', match, acknowledged: true } : null;
    case 'in-call':
      return match?.matchId === state.matchId ? { type: 'connected', match } : { type: 'stale', helpSessionId: state.helpSessionId };
    case 'no-show':
      return match?.helpSessionId === state.helpSessionId ? { type: 'ended', reason: 'no-show' } : null;
    case 'ended':
      return match?.helpSessionId === state.helpSessionId ? { type: 'ended', reason: state.reason } : null;
  }
}
