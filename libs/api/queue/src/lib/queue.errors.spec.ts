import { toApiError } from '@servicekit/api/errors';
import { AlreadyClaimedError, PlaceGivenUpError, QueueBusyError, QueueContentionError } from './queue.errors';

describe('queue errors at the HTTP edge', () => {
  it.each([
    [new AlreadyClaimedError(), 409, 'already_taken'],
    [new QueueBusyError(), 503, 'store_unavailable'],
    [new QueueContentionError(), 503, 'store_unavailable'],
    [new PlaceGivenUpError(), 409, 'help_session_ended'],
  ])('should map %p to %i %s with a sentence', (error, statusCode, code) => {
    const body = toApiError(error);
    expect(body).toMatchObject({ statusCode, code, message: error.message });
    expect(body.message).toMatch(/[.!]$/);
  });
});
