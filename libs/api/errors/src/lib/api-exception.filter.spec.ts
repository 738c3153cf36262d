import { BadRequestException, NotFoundException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { StoreError } from '@servicekit/api/store';
import { ERROR_CODES, ErrorCode } from '@servicekit/contracts';
import { toApiError } from './api-exception.filter';
import { DomainError, UnauthenticatedError } from './domain.error';
import { ERROR_STATUS } from './error-status';
import { ValidationFailedException } from './validation';

/** A domain error of any code, as a lib would declare it. */
class SomeDomainError extends DomainError {
  constructor(
    readonly code: ErrorCode,
    message = 'Something a person can act on.',
  ) {
    super(message);
  }
}

/** A domain error whose message is for operators only. */
class InternalDetailError extends DomainError {
  readonly code = 'video_unavailable';

  override get publicMessage(): string {
    return 'Video calls are unavailable right now. Please try again in a moment.';
  }
}

describe('toApiError', () => {
  it.each([
    [new ValidationFailedException({ customerName: 'Your name is required.' }), 400, 'validation_failed'],
    [new UnauthenticatedError('Sign in first.'), 401, 'unauthorized'],
    [new ThrottlerException(), 429, 'rate_limited'],
    [new StoreError('timeout', 'Memcached at x did not answer.'), 503, 'store_unavailable'],
    [Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400 }), 400, 'malformed_json'],
    [Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413, expose: true }), 413, 'payload_too_large'],
    [new NotFoundException(), 404, 'not_found'],
    [new BadRequestException('Bad.'), 400, 'validation_failed'],
    [new Error('boom at /srv/secret/path'), 500, 'internal'],
  ])('should map %p to %i %s with a sentence', (error, statusCode, code) => {
    const body = toApiError(error);
    expect(body).toMatchObject({ statusCode, code });
    expect(body.message).toMatch(/[.!]$/);
    expect(body.message).not.toContain('/srv/secret');
  });

  it('should not leak store internals to the client', () => {
    expect(toApiError(new StoreError('unavailable', 'Memcached at 10.0.0.5:11211 cannot be reached.')).message).not.toContain('10.0.0.5');
  });

  it.each(ERROR_CODES.map((code) => [code, ERROR_STATUS[code]] as const))(
    'should answer a domain error with code %s with status %i, its code and its message',
    (code, statusCode) => {
      expect(toApiError(new SomeDomainError(code))).toEqual({
        statusCode,
        error: expect.any(String),
        code,
        message: 'Something a person can act on.',
      });
    },
  );

  it('should tell the client the public message of an error whose message is for operators', () => {
    const body = toApiError(new InternalDetailError('OpenTok at 10.0.0.9 answered 500.'));
    expect(body).toMatchObject({ statusCode: 503, code: 'video_unavailable' });
    expect(body.message).not.toContain('10.0.0.9');
  });
});
