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
    const token = header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    if (!token) throw new UnauthenticatedError('This endpoint needs the operator token: send "Authorization: Bearer <OPS_TOKEN>".');
    // Digests of equal length: neither the token's length nor its content leaks through timing.
    if (!timingSafeEqual(digest(token), this.expected)) {
      throw new UnauthenticatedError('That operator token is not right. Use the OPS_TOKEN of this deployment.');
    }
    return true;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
