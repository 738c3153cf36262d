import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { ServiceKitConfig } from '@servicekit/api/config';
import { UnauthenticatedError } from '@servicekit/api/errors';
import { cookie, REP_COOKIE } from './http/rep-cookie';
import { ForbiddenError, requireSameOrigin } from './http/same-origin';
import { RepAuthenticator } from './sessions/rep-authenticator';
import { RepSessionRecord, SignedInRep } from './sessions/rep-session';
import { CustomerIdentity, TokenService } from './token.service';

export interface AuthenticatedRequest extends Request {
  customer?: CustomerIdentity;
  rep?: SignedInRep;
  repSession?: RepSessionRecord;
}

/** The bearer token, if the request has an Authorization header (malformed: 401). */
export function bearer(request: Request): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>".');
  return match[1] ?? null;
}

/**
 * A rep's credentials: a bearer token, or else the session cookie. A cookie-authenticated request that
 * changes something must come from this origin (CSRF).
 */
function repCredentials(request: Request, publicUrl: string | null): string | null {
  const token = bearer(request);
  if (token) return token;
  const fromCookie = cookie(request, REP_COOKIE) ?? null;
  if (fromCookie) requireSameOrigin(request, publicUrl);
  return fromCookie;
}

function identityOf(record: RepSessionRecord): SignedInRep {
  return { repId: record.repId, name: record.name, account: record.account, roles: record.roles };
}

/** Only the holder of this help session's customer token (the `:id` in the path) gets through. */
@Injectable()
export class CustomerGuard implements CanActivate {
  constructor(private readonly tokens: TokenService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearer(request);
    if (!token) throw new UnauthenticatedError('This request needs the customer token of the help session.');
    const customer = this.tokens.verifyCustomerToken(token);
    if (customer.helpSessionId !== request.params['id']) {
      throw new UnauthenticatedError('This customer token belongs to another help session.');
    }
    request.customer = customer;
    return true;
  }
}

/** A signed-in rep whose session holds: bearer token, or the session cookie set at sign-in. */
@Injectable()
export class RepGuard implements CanActivate {
  private readonly publicUrl: string | null;

  constructor(
    private readonly authenticator: RepAuthenticator,
    config: ServiceKitConfig,
  ) {
    this.publicUrl = config.publicUrl;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = repCredentials(request, this.publicUrl);
    if (!token) throw new UnauthenticatedError('Sign in as a representative first.');
    const record = await this.authenticator.fromToken(token);
    request.rep = identityOf(record);
    request.repSession = record;
    return this.allows(record);
  }

  protected allows(_record: RepSessionRecord): boolean {
    return true;
  }
}

/** A signed-in supervisor (a rep session with the supervisor role). */
@Injectable()
export class SupervisorGuard extends RepGuard {
  protected override allows(record: RepSessionRecord): boolean {
    if (!record.roles.includes('supervisor')) {
      throw new ForbiddenError('This is for supervisors, and your sign-in has the rep role only. Ask your team lead for access.');
    }
    return true;
  }
}

/** The customer of the help session in the path, or any signed-in rep (the service checks the match). */
@Injectable()
export class CustomerOrRepGuard implements CanActivate {
  private readonly publicUrl: string | null;

  constructor(
    private readonly tokens: TokenService,
    private readonly authenticator: RepAuthenticator,
    config: ServiceKitConfig,
  ) {
    this.publicUrl = config.publicUrl;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = repCredentials(request, this.publicUrl);
    if (!token) throw new UnauthenticatedError('This request needs the customer token or a rep sign-in.');
    let identity: ReturnType<TokenService['identify']>;
    try {
      identity = this.tokens.identify(token);
    } catch {
      throw new UnauthenticatedError('This token is neither the customer token of this help session nor a valid rep sign-in.');
    }
    if ('customer' in identity) {
      if (identity.customer.helpSessionId !== request.params['id']) {
        throw new UnauthenticatedError('This customer token belongs to another help session.');
      }
      request.customer = identity.customer;
      return true;
    }
    const record = await this.authenticator.fromRepId(identity.rep.repId);
    request.rep = identityOf(record);
    request.repSession = record;
    return true;
  }
}

export const CurrentRep = createParamDecorator((_: unknown, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().rep;
});

export const CurrentRepSession = createParamDecorator((_: unknown, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().repSession;
});

export const CurrentCustomer = createParamDecorator((_: unknown, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().customer;
});
