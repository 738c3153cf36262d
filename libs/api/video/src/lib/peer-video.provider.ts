import { randomBytes } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { VideoCredentials } from '@servicekit/contracts';
import { IceServers, NO_ICE_SERVERS } from './ice-servers';
import { CallParticipant, CallRole, checkTtlSeconds, ForeignVideoSessionError, VideoProvider } from './video-provider';

export interface PeerVideoProviderOptions {
  /** Signs the call tokens; the presence socket verifies them with the same secret. */
  tokenSecret: string;
  /** 3600 when not set. */
  defaultTtlSeconds?: number;
  /** STUN and TURN for the browsers, with TURN credentials as long-lived as the token; none when not set. */
  iceServers?: IceServers;
}

/** What a verified peer video token says about its holder: no personal data, so nothing leaks with a token. */
export interface PeerVideoClaims {
  typ: 'video';
  /** The video session id (`p2p_…`). */
  sid: string;
  role: CallRole;
  /** id of the help session or of the rep */
  sub: string;
  aud: string;
  iat: number;
  exp: number;
}

/** A token that is not a valid, current peer video token. `reason` tells an expired one apart. */
export class InvalidVideoTokenError extends Error {
  constructor(readonly reason: 'expired' | 'invalid') {
    super(
      reason === 'expired'
        ? 'The video token has expired; ask for new call credentials.'
        : 'The video token is not valid; ask for new call credentials.',
    );
    this.name = 'InvalidVideoTokenError';
  }
}

const SESSION_PREFIX = 'p2p_';
const AUDIENCE = 'servicekit-p2p';
const ROLES: readonly CallRole[] = ['customer', 'rep'];

/**
 * The built-in provider: browsers connect to each other directly (WebRTC), signalled through our own
 * presence socket, which admits only the tokens issued here. Needs no outside service.
 */
export class PeerVideoProvider extends VideoProvider {
  readonly name = 'p2p' as const;
  private readonly jwt: JwtService;
  private readonly defaultTtlSeconds: number;
  private readonly iceServers: IceServers;

  constructor(options: PeerVideoProviderOptions) {
    super();
    if (!options.tokenSecret) throw new Error('PeerVideoProvider needs a non-empty tokenSecret.');
    this.defaultTtlSeconds = checkTtlSeconds(options.defaultTtlSeconds ?? 3600);
    this.iceServers = options.iceServers ?? NO_ICE_SERVERS;
    this.jwt = new JwtService({
      secret: options.tokenSecret,
      signOptions: { algorithm: 'HS256', audience: AUDIENCE },
      // Pinning the algorithm stops a token from choosing how it is checked.
      verifyOptions: { algorithms: ['HS256'], audience: AUDIENCE },
    });
  }

  createSession(): Promise<string> {
    return Promise.resolve(SESSION_PREFIX + randomBytes(24).toString('base64url'));
  }

  credentials(sessionId: string, participant: CallParticipant, ttlSeconds?: number): VideoCredentials {
    if (typeof sessionId !== 'string' || !sessionId.startsWith(SESSION_PREFIX)) {
      throw new ForeignVideoSessionError(sessionId);
    }
    const ttl = checkTtlSeconds(ttlSeconds ?? this.defaultTtlSeconds);
    const token = this.jwt.sign({ typ: 'video', sid: sessionId, role: participant.role, sub: participant.id }, { expiresIn: ttl });
    return { provider: 'p2p', sessionId, token, ...this.iceServers.configuration(ttl) };
  }

  /** The claims of a token issued by `credentials()`; throws InvalidVideoTokenError for anything else. */
  verify(token: string): PeerVideoClaims {
    let payload: unknown;
    try {
      payload = this.jwt.verify<object>(token);
    } catch (error) {
      throw new InvalidVideoTokenError(error instanceof Error && error.name === 'TokenExpiredError' ? 'expired' : 'invalid');
    }
    if (!isPeerVideoClaims(payload)) throw new InvalidVideoTokenError('invalid');
    return payload;
  }
}

function isPeerVideoClaims(value: unknown): value is PeerVideoClaims {
  if (typeof value !== 'object' || value === null) return false;
  const claims = value as Record<string, unknown>;
  return (
    claims['typ'] === 'video' &&
    typeof claims['sid'] === 'string' &&
    claims['sid'].startsWith(SESSION_PREFIX) &&
    ROLES.includes(claims['role'] as CallRole) &&
    typeof claims['sub'] === 'string' &&
    claims['aud'] === AUDIENCE &&
    typeof claims['iat'] === 'number' &&
    typeof claims['exp'] === 'number'
  );
}
