import { DomainError } from '@servicekit/api/errors';
import type { VideoCredentials } from '@servicekit/contracts';

export type CallRole = 'customer' | 'rep';

/** Who joins a call: a role and an opaque id, never a name (tokens and connection data carry no personal data). */
export interface CallParticipant {
  role: CallRole;
  /** id of the help session or of the rep */
  id: string;
}

/**
 * The video port: one video session per help session, and short-lived credentials for each of its two
 * participants. Bound to `PeerVideoProvider` (built-in) or `OpenTokVideoProvider` by the app.
 */
export abstract class VideoProvider {
  abstract readonly name: 'opentok' | 'p2p';

  /** Creates a video session for one help session. Rejects with VideoUnavailableError (typed) within its timeout. */
  abstract createSession(): Promise<string>;

  /**
   * Short-lived, role-scoped credentials for one participant of that session. Throws
   * ForeignVideoSessionError when the session was not created by this provider.
   */
  abstract credentials(sessionId: string, participant: CallParticipant, ttlSeconds?: number): Promise<VideoCredentials> | VideoCredentials;
}

/**
 * The video service cannot be used right now. The message is a sentence an operator can act on (it may name
 * the provider's answer); clients are told less.
 */
export class VideoUnavailableError extends DomainError {
  readonly code = 'video_unavailable';

  override get publicMessage(): string {
    return 'Video calls are unavailable right now. Please try again in a moment.';
  }
}

/**
 * The session id was not created by the configured provider (for example, the video provider or the
 * OpenTok project changed while help sessions were stored): that call cannot be joined; start a new one.
 */
export class ForeignVideoSessionError extends VideoUnavailableError {
  constructor(readonly sessionId: string) {
    super('This video call was created by another video service configuration; start a new call.');
    this.name = 'ForeignVideoSessionError';
  }
}

/** Rejects a TTL that would give credentials already expired or never expiring. */
export function checkTtlSeconds(ttlSeconds: number): number {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`Video credentials need a whole, positive number of seconds to live (got ${ttlSeconds}).`);
  }
  return ttlSeconds;
}
