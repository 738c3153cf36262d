import { createSecretKey, KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ServiceKitConfig } from '@servicekit/api/config';
import { UnauthenticatedError } from '@servicekit/api/errors';

export interface CustomerIdentity {
  helpSessionId: string;
}

/** What a rep token says: the rep session it belongs to (the rep's id) and the name shown to customers. */
export interface RepTokenClaims {
  repId: string;
  name: string;
}

const CUSTOMER_AUDIENCE = 'servicekit-customer';
const REP_AUDIENCE = 'servicekit-rep';
export const CUSTOMER_TOKEN_TTL_SECONDS = 3 * 60 * 60;

/**
 * Signed, expiring bearer tokens (HS256 with TOKEN_SECRET), one audience per role so a token of one kind is
 * never accepted as the other. A rep token only names its session: whether that session still holds (signed
 * out, timed out, ended by a supervisor) is the RepSessions' answer, read from the store.
 *
 * The secret is a KeyObject made once: given a string, jsonwebtoken tries to parse it as a PEM key on every
 * sign and verify, which costs twenty times the HMAC itself.
 */
@Injectable()
export class TokenService {
  private readonly jwt: JwtService;
  private readonly repTokenTtlSeconds: number;

  constructor(config: ServiceKitConfig) {
    const key: KeyObject = createSecretKey(Buffer.from(config.tokenSecret, 'utf8'));
    this.jwt = new JwtService({
      privateKey: key,
      publicKey: key,
      signOptions: { algorithm: 'HS256' },
      verifyOptions: { algorithms: ['HS256'] },
    });
    this.repTokenTtlSeconds = Math.ceil(config.repSessionMaxMs / 1000);
  }

  issueCustomerToken(helpSessionId: string): string {
    return this.jwt.sign({ sub: helpSessionId }, { audience: CUSTOMER_AUDIENCE, expiresIn: CUSTOMER_TOKEN_TTL_SECONDS });
  }

  verifyCustomerToken(token: string): CustomerIdentity {
    const identity = this.identify(token, 'customer');
    if (!('customer' in identity)) throw invalid('customer');
    return identity.customer;
  }

  /** A token for the rep session `repId`, valid until `expiresAt` (the session's absolute end). */
  issueRepToken(claims: RepTokenClaims, expiresAt: number): string {
    const expiresIn = Math.max(1, Math.min(this.repTokenTtlSeconds, Math.floor((expiresAt - Date.now()) / 1000)));
    return this.jwt.sign({ sub: claims.repId, name: claims.name }, { audience: REP_AUDIENCE, expiresIn });
  }

  verifyRepToken(token: string): RepTokenClaims {
    const identity = this.identify(token, 'rep');
    if (!('rep' in identity)) throw invalid('rep');
    return identity.rep;
  }

  /**
   * A customer token or a rep token, whichever this is, with one verification: the (signed) audience says
   * which. Throws UnauthenticatedError with a sentence for the kind expected (`as`) when it is neither.
   */
  identify(token: string, as: 'customer' | 'rep' = 'rep'): { customer: CustomerIdentity } | { rep: RepTokenClaims } {
    let claims: { sub?: unknown; name?: unknown; aud?: unknown };
    try {
      claims = this.jwt.verify<typeof claims>(token, { audience: [CUSTOMER_AUDIENCE, REP_AUDIENCE] });
    } catch (error) {
      throw (error as Error).name === 'TokenExpiredError' ? expired(as) : invalid(as);
    }
    if (typeof claims.sub !== 'string') throw invalid(as);
    if (claims.aud === CUSTOMER_AUDIENCE) return { customer: { helpSessionId: claims.sub } };
    if (claims.aud === REP_AUDIENCE && typeof claims.name === 'string') return { rep: { repId: claims.sub, name: claims.name } };
    throw invalid(as);
  }
}

const again = (kind: 'customer' | 'rep') => (kind === 'rep' ? 'Please sign in again.' : 'Please ask for help again.');
const invalid = (kind: 'customer' | 'rep') => new UnauthenticatedError(`This ${kind} token is not valid. ${again(kind)}`);
const expired = (kind: 'customer' | 'rep') => new UnauthenticatedError(`This ${kind} token has expired. ${again(kind)}`);
