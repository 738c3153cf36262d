import type { ClaimNextResponse, CustomerState, EndReason, RepState, VerifiedContext, VideoCredentials } from '@servicekit/contracts';

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
  /** What the host site vouched for, when the customer came through the widget with a signed context. */
  readonly verified: VerifiedContext | null;
}

export function repMatch(claim: ClaimNextResponse): RepMatch {
  const { id, customerName, problemText, waitedMs, verified } = claim.helpSession;
  return {
    matchId: claim.matchId,
    video: claim.video,
    helpSessionId: id,
    customerName,
    problemText,
    waitedMs,
    noShowMs: claim.noShowMs,
    verified: verified ?? null,
  };
}

/**
 * What keeps a call from its media for now: the other side's connection is gone (the server says so; it
 * comes back within the rejoin window or the call ends), this page's media is not (back) up, or both.
 */
export type CallLoss = 'partner' | 'media' | 'both';

export type CallSessionState<M extends CallMatch = CallMatch> =
  /** No presence socket: before the page opens one, and after it closed it. */
  | { readonly kind: 'offline' }
  /** The socket is open; the server has not said yet where this side stands. */
  | { readonly kind: 'connecting' }
  /** Nothing going on: a customer's help session not in the queue, a rep online without a customer. */
  | { readonly kind: 'idle' }
  /**
   * A customer in the queue (1 is next). `handedBack`: a match came to nothing (its call could not be
   * connected, or the rep left first) and the server put the customer back at the front.
   */
  | { readonly kind: 'waiting'; readonly position: number; readonly estimatedWaitMs: number | null; readonly handedBack: boolean }
  /**
   * Matched, media not confirmed by both sides yet. `acknowledged`: the server has told this socket about
   * the match (a rep learns of it from the claim first). `mediaReported`: this side said its media is up.
   */
  | { readonly kind: 'reserved'; readonly match: M; readonly acknowledged: boolean; readonly mediaReported: boolean }
  /** Both sides' media confirmed by the server, and flowing on this page. */
  | { readonly kind: 'in-call'; readonly match: M; readonly mediaReported: boolean }
  /** A confirmed call on the same match whose media is gone for now (`lost` says why); it resumes by itself. */
  | { readonly kind: 'reconnecting'; readonly match: M; readonly mediaReported: boolean; readonly lost: CallLoss }
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
  /** The server: both sides' media are up for the match; `partnerAway` while the other side's connection is gone. */
  | { readonly type: 'connected'; readonly match: M; readonly partnerAway: boolean }
  /** The server reports a reservation or call this page knows nothing of (rep side, after a reload). */
  | { readonly type: 'unknown-match'; readonly helpSessionId: string }
  /** Media flows in this page's call for the match (the connection is up and the other side's stream is here). */
  | { readonly type: 'media-up'; readonly matchId: string }
  /** This page's call for the match lost its media (the connection dropped, or the other side started over). */
  | { readonly type: 'media-down'; readonly matchId: string }
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
  /** Let the page fetch the match it knows nothing of (its details and fresh credentials), to resume it. */
  | { readonly type: 'resume'; readonly helpSessionId: string };

export interface CallSessionTransition<M extends CallMatch = CallMatch> {
  /** The same object as before when nothing changed. */
  readonly state: CallSessionState<M>;
  readonly commands: readonly CallSessionCommand<M>[];
}

export const OFFLINE: CallSessionState<never> = { kind: 'offline' };

/** The match of a reserved, running or reconnecting call, else null. */
export function matchOf<M extends CallMatch>(state: CallSessionState<M>): M | null {
  return state.kind === 'reserved' || state.kind === 'in-call' || state.kind === 'reconnecting' ? state.match : null;
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
      return { state: waiting(event, false), commands: [] };
    case 'queued':
      if (state.kind === 'offline' || state.kind === 'ended') return stay;
      return { state: waiting(event, match !== null || (state.kind === 'waiting' && state.handedBack)), commands: leave };
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
      return confirmed(state, event.match, event.partnerAway);
    case 'unknown-match':
      return state.kind === 'offline' ? stay : { state, commands: [{ type: 'resume', helpSessionId: event.helpSessionId }] };
    case 'media-up':
      return mediaUp(state, event.matchId);
    case 'media-down':
      if (match?.matchId !== event.matchId) return stay;
      if (state.kind === 'in-call') return { state: { ...state, kind: 'reconnecting', lost: 'media' }, commands: [] };
      if (state.kind === 'reconnecting' && state.lost === 'partner') return { state: { ...state, lost: 'both' }, commands: [] };
      return stay;
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

/** The server says the match is a confirmed call, and whether the other side is away. */
function confirmed<M extends CallMatch>(state: CallSessionState<M>, match: M, partnerAway: boolean): CallSessionTransition<M> {
  const stay: CallSessionTransition<M> = { state, commands: [] };
  if (state.kind === 'offline' || state.kind === 'ended') return stay;
  if (state.kind !== 'reserved' && state.kind !== 'in-call' && state.kind !== 'reconnecting') {
    // A call already running when this page arrived (a reload): join it; it is back once media flows here.
    return { state: callState(match, false, partnerAway, true), commands: [{ type: 'join', match }] };
  }
  if (state.match.matchId !== match.matchId) {
    return { state: callState(match, false, partnerAway, true), commands: [{ type: 'leave' }, { type: 'join', match }] };
  }
  // A reservation this page never reported media for was joined after a reload: its media is not up yet.
  const mediaDown =
    state.kind === 'reserved' ? !state.mediaReported : state.kind === 'reconnecting' && (state.lost === 'media' || state.lost === 'both');
  const next = callState(state.match, state.mediaReported, partnerAway, mediaDown);
  const unchanged =
    next.kind === state.kind && (next.kind !== 'reconnecting' || (state.kind === 'reconnecting' && next.lost === state.lost));
  return unchanged ? stay : { state: next, commands: [] };
}

function mediaUp<M extends CallMatch>(state: CallSessionState<M>, matchId: string): CallSessionTransition<M> {
  const stay: CallSessionTransition<M> = { state, commands: [] };
  if ((state.kind !== 'reserved' && state.kind !== 'in-call' && state.kind !== 'reconnecting') || state.match.matchId !== matchId)
    return stay;
  const report: CallSessionCommand<M>[] = state.mediaReported ? [] : [{ type: 'report-media', matchId }];
  if (state.kind === 'reconnecting') {
    const partnerAway = state.lost === 'partner' || state.lost === 'both';
    return { state: callState(state.match, true, partnerAway, false), commands: report };
  }
  return state.mediaReported ? stay : { state: { ...state, mediaReported: true }, commands: report };
}

/** In a confirmed call: in-call when nothing is lost, else reconnecting with what is. */
function callState<M extends CallMatch>(match: M, mediaReported: boolean, partnerAway: boolean, mediaDown: boolean): CallSessionState<M> {
  const lost: CallLoss | null = partnerAway ? (mediaDown ? 'both' : 'partner') : mediaDown ? 'media' : null;
  return lost ? { kind: 'reconnecting', match, mediaReported, lost } : { kind: 'in-call', match, mediaReported };
}

function waiting(place: { position: number; estimatedWaitMs: number | null }, handedBack: boolean): CallSessionState<never> {
  return { kind: 'waiting', position: place.position, estimatedWaitMs: place.estimatedWaitMs, handedBack };
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
      return { type: 'connected', match: customerMatch(state), partnerAway: state.partnerAway === true };
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
      const acknowledged =
        current.kind === 'in-call' || current.kind === 'reconnecting' || (current.kind === 'reserved' && current.acknowledged);
      return acknowledged ? { type: 'ended', reason: 'interrupted' } : { type: 'present' };
    }
    case 'reserved':
      if (match?.matchId === state.matchId) return { type: 'matched', match, acknowledged: true };
      return match ? null : { type: 'unknown-match', helpSessionId: state.helpSessionId };
    case 'in-call':
      return match?.matchId === state.matchId
        ? { type: 'connected', match, partnerAway: state.partnerAway === true }
        : { type: 'unknown-match', helpSessionId: state.helpSessionId };
    case 'no-show':
      return match?.helpSessionId === state.helpSessionId ? { type: 'ended', reason: 'no-show' } : null;
    case 'ended':
      return match?.helpSessionId === state.helpSessionId ? { type: 'ended', reason: state.reason } : null;
  }
}
