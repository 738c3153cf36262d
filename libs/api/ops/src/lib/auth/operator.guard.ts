import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { UnauthenticatedError } from '@servicekit/api/errors';
import { AuthenticatedRequest, bearer, ForbiddenError, REP_COOKIE, RepAuthenticator, requireSameOrigin } from '@servicekit/api/rep-auth';

/**
 * Operator endpoints: a supervisor's own sign-in (the rep session cookie or its bearer token, with the
 * supervisor role), or, for machines (Prometheus, scripts), `Authorization: Bearer <OPS_TOKEN>` compared in
 * constant time. A supervisor is put on the request as `rep`, so that actions say who did them.
 */
@Injectable()
export class OperatorGuard implements CanActivate {
  private readonly expected: Buffer;
  private readonly publicUrl: string | null;

  constructor(
    config: ServiceKitConfig,
    private readonly reps: RepAuthenticator,
  ) {
    this.expected = digest(config.opsToken);
    this.publicUrl = config.publicUrl;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = operatorBearer(request);
    // Digests of equal length: neither the token's length nor its content leaks through timing.
    if (token && timingSafeEqual(digest(token), this.expected)) return true;
    const fromCookie = token ? undefined : (request as { cookies?: Record<string, string> }).cookies?.[REP_COOKIE];
    if (!token && !fromCookie) {
      throw new UnauthenticatedError(
        'This needs a supervisor sign-in (open /rep/ and sign in) or, for machines, "Authorization: Bearer <OPS_TOKEN>" with the operator token.',
      );
    }
    if (fromCookie) requireSameOrigin(request, this.publicUrl);
    let record;
    try {
      record = await this.reps.fromToken(token ?? fromCookie ?? '');
    } catch (error) {
      if (token && !looksLikeJwt(token)) {
        throw new UnauthenticatedError('That operator token is not right. Use the OPS_TOKEN of this deployment.');
      }
      // A bearer that looks like a sign-in but does not hold: say why, and what machines use instead.
      if (token && error instanceof UnauthenticatedError) {
        throw new UnauthenticatedError(`${error.message} Machines use the operator token (OPS_TOKEN) instead.`);
      }
      throw error;
    }
    if (!record.roles.includes('supervisor')) {
      throw new ForbiddenError('This is for supervisors, and your sign-in has the rep role only. Ask your team lead for access.');
    }
    request.rep = { repId: record.repId, name: record.name, account: record.account, roles: record.roles };
    request.repSession = record;
    return true;
  }

  /** Whether an Authorization header carries the operator token; for answers that only add detail for operators. */
  isOperator(header: string | undefined): boolean {
    const token = bearerToken(header);
    // Digests of equal length: neither the token's length nor its content leaks through timing.
    return token !== undefined && timingSafeEqual(digest(token), this.expected);
  }
}

function bearerToken(header: string | undefined): string | undefined {
  return header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
}

function operatorBearer(request: AuthenticatedRequest): string | null {
  try {
    return bearer(request);
  } catch {
    throw new UnauthenticatedError(
      'The Authorization header must be "Bearer <token>", with a supervisor\'s token or the operator token (OPS_TOKEN).',
    );
  }
}

function looksLikeJwt(token: string): boolean {
  return /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(token);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
