import type { Brand, EstimateReason, ServiceAvailability, WaitEstimate } from './customer-side';
import type { RepSessionResponse } from './rep-identity';
import type { VerifiedContext } from './embed';

export type VideoProviderName = 'opentok' | 'p2p';

/** One STUN or TURN server as `RTCPeerConnection` takes it; TURN servers carry short-lived credentials. */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

/** `relay`: media only ever goes through the TURN relay, so neither side learns the other's address. */
export type IceTransportPolicy = 'all' | 'relay';

/** The ICE servers a browser uses for one call, or for the pre-call check. Never the TURN secret itself. */
export interface IceConfiguration {
  iceServers: IceServer[];
  iceTransportPolicy: IceTransportPolicy;
}

/** What a browser needs to join the call of one help session, for one role. Tokens are short-lived. */
export interface VideoCredentials {
  provider: VideoProviderName;
  sessionId: string;
  token: string;
  /** OpenTok only. */
  apiKey?: string;
  /** Built-in P2P only: fresh for every (re)join; OpenTok brings its own. */
  iceServers?: IceServer[];
  iceTransportPolicy?: IceTransportPolicy;
}

export interface CreateHelpSessionRequest {
  customerName: string;
  problemText: string;
  /** A context token from the host site (the widget); a bad one is ignored, never refused. */
  context?: string;
}

export interface CreateHelpSessionResponse {
  id: string;
  /** Secret: only its holder can queue, cancel or end this help session. */
  customerToken: string;
  video: VideoCredentials;
  /** Only when the request carried a context token: whether it was verified and kept, or ignored. */
  context?: 'verified' | 'ignored';
}

export interface QueuePositionResponse extends WaitEstimate {
  /** 1 is next. */
  position: number;
}

export interface RepSignInRequest {
  name: string;
  passcode: string;
}

/** Every way of signing in answers with the session (`RepSessionResponse` in rep-identity). */
export type RepSignInResponse = RepSessionResponse;

export interface ClaimNextRequest {
  /** Long-poll: wait up to this long for a customer to arrive (at most CLAIM_WAIT_MAX_MS). */
  waitMs?: number;
}

export interface ClaimedHelpSession {
  id: string;
  customerName: string;
  problemText: string;
  waitedMs: number;
  /** Only when the customer came with a valid context token from the host site. */
  verified?: VerifiedContext;
}

export interface ClaimNextResponse {
  /** This reservation; the rep reports media for it over the presence socket. */
  matchId: string;
  helpSession: ClaimedHelpSession;
  video: VideoCredentials;
  /** The customer's media must be up within this long, or the customer goes back to the front. */
  noShowMs: number;
}

/** Public, anonymous: what the landing page shows before anything is asked. */
export interface ServiceStatusResponse {
  repsOnline: number;
  waiting: number;
  /** For a customer arriving now; null with `estimateReason` when no rep is online. */
  estimatedWaitMs: number | null;
  estimateReason?: EstimateReason;
  availability: ServiceAvailability;
  /** ISO 8601 instant of the next opening when `availability` is `closed` (the page shows it in the customer's zone). */
  opensAt: string | null;
  /** A callback request can always be left (POST /api/callbacks). */
  callbacks: true;
  brand: Brand;
}
