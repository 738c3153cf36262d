import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { UnauthenticatedError } from '@servicekit/api/errors';
import { CustomerIdentity, RepIdentity, TokenService } from './token.service';

export const REP_COOKIE = 'sk_rep';

interface AuthenticatedRequest extends Request {
  customer?: CustomerIdentity;
  rep?: RepIdentity;
}

function bearer(request: Request): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>".');
  return match[1] ?? null;
}

function repToken(request: Request): string | null {
  const cookies = (request as Request & { cookies?: Record<string, string> }).cookies;
  return bearer(request) ?? cookies?.[REP_COOKIE] ?? null;
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

/** A signed-in rep: bearer token, or the httpOnly cookie set at sign-in. */
@Injectable()
export class RepGuard implements CanActivate {
  constructor(private readonly tokens: TokenService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = repToken(request);
    if (!token) throw new UnauthenticatedError('Sign in as a representative first.');
    request.rep = this.tokens.verifyRepToken(token);
    return true;
  }
}

/** The customer of the help session in the path, or any signed-in rep (the service checks the match). */
@Injectable()
export class CustomerOrRepGuard implements CanActivate {
  constructor(private readonly tokens: TokenService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = repToken(request);
    if (!token) throw new UnauthenticatedError('This request needs the customer token or a rep sign-in.');
    const identity = this.tokens.identify(token);
    if (identity && 'customer' in identity && identity.customer.helpSessionId === request.params['id']) {
      request.customer = identity.customer;
      return true;
    }
    if (identity && 'rep' in identity) {
      request.rep = identity.rep;
      return true;
    }
    throw new UnauthenticatedError('This token is neither the customer token of this help session nor a valid rep sign-in.');
  }
}

export const CurrentRep = createParamDecorator((_: unknown, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().rep;
});

export const CurrentCustomer = createParamDecorator((_: unknown, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().customer;
});
