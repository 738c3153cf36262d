import { toApiError } from '@servicekit/api/errors';
import { ForeignVideoSessionError, VideoUnavailableError } from './video-provider';

describe('video errors at the HTTP edge', () => {
  it.each([
    [new VideoUnavailableError('OpenTok is down.'), 503, 'video_unavailable'],
    [new ForeignVideoSessionError('1_abc'), 503, 'video_unavailable'],
  ])('should map %p to %i %s with a sentence that names no internals', (error, statusCode, code) => {
    const body = toApiError(error);
    expect(body).toMatchObject({ statusCode, code });
    expect(body.message).toMatch(/[.!]$/);
    expect(body.message).not.toContain('OpenTok');
  });
});
