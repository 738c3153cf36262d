import { createHmac, randomBytes } from 'node:crypto';
import type { IceConfiguration, IceServer, IceTransportPolicy } from '@servicekit/contracts';

/** How TURN credentials are made: short-lived ones from coturn's shared secret, or one static pair. */
export type TurnCredentialsOptions = { kind: 'secret'; secret: string } | { kind: 'static'; username: string; password: string };

export interface IceServersOptions {
  stunUrls: readonly string[];
  turn: { urls: readonly string[]; credentials: TurnCredentialsOptions } | null;
  transportPolicy: IceTransportPolicy;
}

/**
 * Time-limited TURN credentials as in the "REST API for access to TURN services" draft, which coturn checks
 * with `use-auth-secret`: the username is `<expiry in unix seconds>:<id>`, the credential is
 * base64(HMAC-SHA1(secret, username)). The id is random: nothing personal travels to the relay.
 */
export function turnRestCredentials(secret: string, expiresAtSeconds: number, id: string): { username: string; credential: string } {
  const username = `${expiresAtSeconds}:${id}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

/**
 * The STUN and TURN servers handed to browsers, inside each participant's video credentials and for the
 * pre-call check: fresh TURN credentials every time, never the secret.
 */
export class IceServers {
  constructor(
    private readonly options: IceServersOptions,
    private readonly now: () => number = Date.now,
    private readonly randomId: () => string = () => randomBytes(12).toString('base64url'),
  ) {}

  get transportPolicy(): IceTransportPolicy {
    return this.options.transportPolicy;
  }

  /** What a browser needs for the next `ttlSeconds`. */
  configuration(ttlSeconds: number): IceConfiguration {
    const iceServers: IceServer[] = [];
    if (this.options.stunUrls.length > 0) iceServers.push({ urls: [...this.options.stunUrls] });
    const turn = this.options.turn;
    if (turn) {
      const credentials = turn.credentials;
      const { username, credential } =
        credentials.kind === 'secret'
          ? turnRestCredentials(credentials.secret, Math.floor(this.now() / 1000) + ttlSeconds, this.randomId())
          : { username: credentials.username, credential: credentials.password };
      iceServers.push({ urls: [...turn.urls], username, credential });
    }
    return { iceServers, iceTransportPolicy: this.options.transportPolicy };
  }

  /** For the start-up banner and readiness: the URLs and the kind of credentials, never a secret or password. */
  describe(): {
    stunUrls: string[];
    turnUrls: string[];
    turnCredentials: 'short-lived' | 'static' | 'none';
    iceTransportPolicy: IceTransportPolicy;
  } {
    const turn = this.options.turn;
    return {
      stunUrls: [...this.options.stunUrls],
      turnUrls: turn ? [...turn.urls] : [],
      turnCredentials: !turn ? 'none' : turn.credentials.kind === 'secret' ? 'short-lived' : 'static',
      iceTransportPolicy: this.options.transportPolicy,
    };
  }
}

/** No STUN or TURN: browsers connect directly (localhost, a LAN). */
export const NO_ICE_SERVERS = new IceServers({ stunUrls: [], turn: null, transportPolicy: 'all' });
