import type { WaitEstimate } from './customer-side';
import type { VideoCredentials } from './help-session';

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
  | { state: 'in-call'; matchId: string; repName: string; video: VideoCredentials }
  | { state: 'ended'; reason: EndReason };

export type EndReason = 'customer-ended' | 'rep-ended' | 'customer-left' | 'rep-left' | 'cancelled';

/** What a rep sees of its current match. */
export type RepState =
  | { state: 'available'; waiting: number }
  | { state: 'reserved'; matchId: string; helpSessionId: string }
  | { state: 'in-call'; matchId: string; helpSessionId: string }
  | { state: 'no-show'; helpSessionId: string; waiting: number }
  | { state: 'ended'; helpSessionId: string; reason: EndReason; waiting: number };

/** Relayed between the two parties of one match only. */
export type SignalMessage =
  | { kind: 'offer'; sdp: string }
  | { kind: 'answer'; sdp: string }
  | { kind: 'ice'; candidate: { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null } }
  | { kind: 'hangup' };

export interface ServerToClientEvents {
  'customer:state': (state: CustomerState) => void;
  'rep:state': (state: RepState) => void;
  /** The number of customers waiting, for reps. */
  'queue:waiting': (payload: { waiting: number }) => void;
  signal: (message: SignalMessage) => void;
}

export interface ClientToServerEvents {
  /** The sender's media is flowing (camera published and, for the customer, the rep's stream received). */
  'media:connected': (payload: { matchId: string }, ack?: (result: { ok: boolean }) => void) => void;
  signal: (message: SignalMessage, ack?: (result: { ok: boolean; error?: string }) => void) => void;
}
