import type { WaitEstimate } from './customer-side';
import type { VideoCredentials } from './help-session';
import type { RepSessionEnd } from './rep-identity';
import type { ChatMessage } from './chat';

/** socket.io namespace of the presence gateway. The handshake carries `auth: { token }`. */
export const PRESENCE_NAMESPACE = '/presence';

/** Why a handshake was refused (the `message` of the connect error). */
export const PRESENCE_REFUSALS = {
  noToken: 'A customer or rep token is required to connect.',
  badToken: 'The token is not valid or has expired.',
  ended: 'This help session has ended.',
} as const;

/** Largest signaling payload relayed (an SDP offer with many candidates fits easily). */
export const SIGNAL_MAX_BYTES = 16 * 1024;

/** What a customer sees of its own help session, sent on connect and on every change. */
export type CustomerState =
  | { state: 'idle' }
  | ({ state: 'waiting'; position: number } & WaitEstimate)
  | { state: 'reserved'; matchId: string; repName: string; video: VideoCredentials; noShowMs: number }
  | {
      state: 'in-call';
      matchId: string;
      repName: string;
      video: VideoCredentials;
      /** The rep's connection is lost: the call resumes, on the same match, if they are back within the rejoin window. */
      partnerAway?: boolean;
    }
  | { state: 'ended'; reason: EndReason };

/** `rejoin-timeout`: one side of a call lost its connection and was not back within the rejoin window. */
export type EndReason = 'customer-ended' | 'rep-ended' | 'customer-left' | 'rep-left' | 'cancelled' | 'rejoin-timeout';

/** What a rep sees of its current match. */
export type RepState =
  | { state: 'available'; waiting: number }
  | { state: 'reserved'; matchId: string; helpSessionId: string }
  | {
      state: 'in-call';
      matchId: string;
      helpSessionId: string;
      /** Fresh credentials for the call's video, so that a console that reconnects (a reload) can join it again. */
      video?: VideoCredentials;
      /** The customer's connection is lost: the call resumes if they are back within the rejoin window. */
      partnerAway?: boolean;
    }
  | { state: 'no-show'; helpSessionId: string; waiting: number }
  | { state: 'ended'; helpSessionId: string; reason: EndReason; waiting: number };

/**
 * Relayed between the two parties of one match only. The rep always offers and the customer always answers;
 * `ready` is the customer's call saying it has a fresh peer connection (a first join, or a reloaded page) and
 * wants an offer for it.
 */
export type SignalMessage =
  | { kind: 'ready' }
  | { kind: 'offer'; sdp: string }
  /** `offerId`: which offer this answers (its `o=` session id and version), so a late answer to an older offer is ignored. */
  | { kind: 'answer'; sdp: string; offerId?: string }
  | { kind: 'ice'; candidate: { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null } }
  | { kind: 'hangup' };

export interface ServerToClientEvents {
  'customer:state': (state: CustomerState) => void;
  'rep:state': (state: RepState) => void;
  /** The number of customers waiting, for reps. */
  'queue:waiting': (payload: { waiting: number }) => void;
  signal: (message: SignalMessage) => void;
  /** The rep's session ended (signed out elsewhere, by a supervisor): the server closes the socket next. */
  'rep:signed-out': (payload: { reason: RepSessionEnd }) => void;
  /** A chat message of the recipient's help session (sent over HTTP by either side; both sides hear it). */
  'chat:message': (message: ChatMessage) => void;
}

export interface ClientToServerEvents {
  /** The sender's media is flowing (camera published and, for the customer, the rep's stream received). */
  'media:connected': (payload: { matchId: string }, ack?: (result: { ok: boolean }) => void) => void;
  signal: (message: SignalMessage, ack?: (result: { ok: boolean; error?: string }) => void) => void;
}

/** Up to here a waiting customer sees their exact place in line; further back, a rounded one. */
export const EXACT_POSITIONS_UP_TO = 100;

/**
 * The place in line as a customer is shown it: exact up to EXACT_POSITIONS_UP_TO, then rounded to two
 * significant digits ("about 2,300"). The server pushes a waiting customer a new position only when this
 * changes, so a claim writes to about 280 of 10,000 waiting sockets instead of to every one.
 */
export function shownPosition(position: number): number {
  if (position <= EXACT_POSITIONS_UP_TO) return position;
  const step = 10 ** (String(Math.trunc(position)).length - 2);
  return Math.round(position / step) * step;
}
