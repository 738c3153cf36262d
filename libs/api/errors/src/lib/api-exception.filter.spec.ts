import { BadRequestException, MethodNotAllowedException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
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

  /** As body-parser, zlib and the router raise them (http-errors adds status and expose). */
  const libraryError = (message: string, props: Record<string, unknown>) => Object.assign(new Error(message), { expose: true, ...props });

  it.each([
    ['incorrect header check', libraryError('incorrect header check', { status: 400, errno: -3, code: 'Z_DATA_ERROR' }), 400],
    ['unexpected end of file', libraryError('unexpected end of file', { status: 400, errno: -5, code: 'Z_BUF_ERROR' }), 400],
    ['Decompression failed', libraryError('Decompression failed', { status: 400, errno: -15, code: 'ERR__ERROR_FORMAT_PADDING_2' }), 400],
    [
      'unsupported content encoding "compress"',
      libraryError('unsupported content encoding "compress"', { status: 415, type: 'encoding.unsupported' }),
      415,
    ],
    ['unsupported charset "LATIN1"', libraryError('unsupported charset "LATIN1"', { status: 415, type: 'charset.unsupported' }), 415],
    [
      'request size did not match content length',
      libraryError('request size did not match content length', { status: 400, type: 'request.size.invalid' }),
      400,
    ],
    ['request aborted', libraryError('request aborted', { status: 400, type: 'request.aborted' }), 400],
    ["Failed to decode param '%'", Object.assign(new URIError("Failed to decode param '%'"), { status: 400 }), 400],
    ['Forbidden', libraryError('Forbidden', { status: 403 }), 403],
    ['Validation failed (numeric string is expected)', new BadRequestException('Validation failed (numeric string is expected)'), 400],
    ['Cannot PUT /api/x', new MethodNotAllowedException('Cannot PUT /api/x'), 405],
    ['Payload Too Large', new PayloadTooLargeException(), 413],
  ])('should answer the library message %j with a sentence of our own', (raw, error, statusCode) => {
    const body = toApiError(error);
    expect(body.statusCode).toBe(statusCode);
    expect(body.message).toMatch(/^[A-Z].*\.$/);
    expect(body.message).not.toContain(raw);
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
