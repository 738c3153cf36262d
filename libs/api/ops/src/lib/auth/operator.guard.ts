import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { UnauthenticatedError } from '@servicekit/api/errors';
import type { Request } from 'express';

/** Operator endpoints: `Authorization: Bearer <OPS_TOKEN>`, compared in constant time. */
@Injectable()
export class OperatorGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(config: ServiceKitConfig) {
    this.expected = digest(config.opsToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers.authorization;
    if (!bearerToken(header)) {
      throw new UnauthenticatedError('This endpoint needs the operator token: send "Authorization: Bearer <OPS_TOKEN>".');
    }
    if (!this.isOperator(header)) throw new UnauthenticatedError('That operator token is not right. Use the OPS_TOKEN of this deployment.');
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

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
