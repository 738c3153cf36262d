import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ServiceKitConfig } from '@servicekit/api/config';
import { UnauthenticatedError } from '@servicekit/api/errors';

export interface CustomerIdentity {
  helpSessionId: string;
}

export interface RepIdentity {
  repId: string;
  name: string;
}

const CUSTOMER_AUDIENCE = 'servicekit-customer';
const REP_AUDIENCE = 'servicekit-rep';
export const CUSTOMER_TOKEN_TTL_SECONDS = 3 * 60 * 60;
export const REP_TOKEN_TTL_SECONDS = 12 * 60 * 60;

/**
 * Signed, expiring bearer tokens (HS256 with TOKEN_SECRET), one audience per role so a token of one kind is
 * never accepted as the other. Stateless: every instance with the same TOKEN_SECRET verifies them.
 */
@Injectable()
export class TokenService {
  private readonly jwt: JwtService;

  constructor(config: ServiceKitConfig) {
    this.jwt = new JwtService({
      secret: config.tokenSecret,
      signOptions: { algorithm: 'HS256' },
      verifyOptions: { algorithms: ['HS256'] },
    });
  }

  issueCustomerToken(helpSessionId: string): string {
    return this.jwt.sign({ sub: helpSessionId }, { audience: CUSTOMER_AUDIENCE, expiresIn: CUSTOMER_TOKEN_TTL_SECONDS });
  }

  verifyCustomerToken(token: string): CustomerIdentity {
    const claims = this.verify(token, CUSTOMER_AUDIENCE, 'customer');
    return { helpSessionId: claims.sub };
  }

  issueRepToken(name: string): { token: string; identity: RepIdentity; expiresAt: Date } {
    const identity = { repId: `rep_${randomBytes(12).toString('base64url')}`, name };
    const token = this.jwt.sign({ sub: identity.repId, name }, { audience: REP_AUDIENCE, expiresIn: REP_TOKEN_TTL_SECONDS });
    const { exp } = this.jwt.decode<{ exp: number }>(token);
    return { token, identity, expiresAt: new Date(exp * 1000) };
  }

  verifyRepToken(token: string): RepIdentity {
    const claims = this.verify(token, REP_AUDIENCE, 'rep');
    if (typeof claims.name !== 'string') throw new UnauthenticatedError('This rep token is not valid. Please sign in again.');
    return { repId: claims.sub, name: claims.name };
  }

  /** A customer token or a rep token, whichever this is; null when it is neither (or expired). */
  identify(token: string): { customer: CustomerIdentity } | { rep: RepIdentity } | null {
    try {
      return { customer: this.verifyCustomerToken(token) };
    } catch {
      // not a customer token: try it as a rep token
    }
    try {
      return { rep: this.verifyRepToken(token) };
    } catch {
      return null;
    }
  }

  private verify(token: string, audience: string, kind: 'customer' | 'rep'): { sub: string; name?: unknown } {
    try {
      const claims = this.jwt.verify<{ sub?: unknown; name?: unknown }>(token, { audience });
      if (typeof claims.sub !== 'string') throw new Error('no subject');
      return { sub: claims.sub, name: claims.name };
    } catch (error) {
      const expired = (error as Error).name === 'TokenExpiredError';
      const again = kind === 'rep' ? 'Please sign in again.' : 'Please ask for help again.';
      throw new UnauthenticatedError(expired ? `This ${kind} token has expired. ${again}` : `This ${kind} token is not valid. ${again}`);
    }
  }
}
