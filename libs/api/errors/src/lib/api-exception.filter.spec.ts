import { BadRequestException, NotFoundException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { AlreadyTakenError, HelpSessionEndedError, HelpSessionNotFoundError, UnauthenticatedError } from '@servicekit/api/session';
import { StoreError } from '@servicekit/api/store';
import { VideoUnavailableError } from '@servicekit/api/video';
import { toApiError } from './api-exception.filter';
import { ValidationFailedException } from './validation';

describe('toApiError', () => {
  it.each([
    [new ValidationFailedException({ customerName: 'Your name is required.' }), 400, 'validation_failed'],
    [new UnauthenticatedError('Sign in first.'), 401, 'unauthorized'],
    [new HelpSessionNotFoundError(), 404, 'not_found'],
    [new HelpSessionEndedError(), 409, 'help_session_ended'],
    [new AlreadyTakenError(), 409, 'already_taken'],
    [new ThrottlerException(), 429, 'rate_limited'],
    [new StoreError('timeout', 'Memcached at x did not answer.'), 503, 'store_unavailable'],
    [new VideoUnavailableError('OpenTok is down.'), 503, 'video_unavailable'],
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
});
