import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import type { RepSignInResponse } from '@servicekit/contracts';
import { UnauthenticatedError } from '@servicekit/api/errors';
import { TokenService } from './token.service';

@Injectable()
export class RepAuthService {
  private readonly passcodeDigest: Buffer;

  constructor(
    config: ServiceKitConfig,
    private readonly tokens: TokenService,
  ) {
    this.passcodeDigest = digest(config.repPasscode);
  }

  signIn(name: string, passcode: string): RepSignInResponse {
    // Compare digests in constant time: the passcode's length and content leak nothing through timing.
    if (!timingSafeEqual(digest(passcode), this.passcodeDigest)) {
      throw new UnauthenticatedError('That passcode is not right. Check it with your team lead and try again.');
    }
    const { token, identity, expiresAt } = this.tokens.issueRepToken(name);
    return { token, name: identity.name, expiresAt: expiresAt.toISOString() };
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
