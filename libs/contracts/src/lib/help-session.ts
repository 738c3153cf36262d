import type { Brand, EstimateReason, ServiceAvailability, WaitEstimate } from './customer-side';

export type VideoProviderName = 'opentok' | 'p2p';

/** What a browser needs to join the call of one help session, for one role. Tokens are short-lived. */
export interface VideoCredentials {
  provider: VideoProviderName;
  sessionId: string;
  token: string;
  /** OpenTok only. */
  apiKey?: string;
}

export interface CreateHelpSessionRequest {
  customerName: string;
  problemText: string;
}

export interface CreateHelpSessionResponse {
  id: string;
  /** Secret: only its holder can queue, cancel or end this help session. */
  customerToken: string;
  video: VideoCredentials;
}

export interface QueuePositionResponse extends WaitEstimate {
  /** 1 is next. */
  position: number;
}

export interface RepSignInRequest {
  name: string;
  passcode: string;
}

export interface RepSignInResponse {
  token: string;
  name: string;
  /** ISO 8601. */
  expiresAt: string;
}

export interface ClaimNextRequest {
  /** Long-poll: wait up to this long for a customer to arrive (at most CLAIM_WAIT_MAX_MS). */
  waitMs?: number;
}

export interface ClaimedHelpSession {
  id: string;
  customerName: string;
  problemText: string;
  waitedMs: number;
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
