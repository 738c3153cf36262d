import { toApiError } from '@servicekit/api/errors';
import { AlreadyTakenError, HelpSessionEndedError, HelpSessionNotFoundError, NotInQueueError } from './help-session.errors';

describe('help session errors at the HTTP edge', () => {
  it.each([
    [new HelpSessionNotFoundError(), 404, 'not_found'],
    [new NotInQueueError(), 404, 'not_found'],
    [new HelpSessionEndedError(), 409, 'help_session_ended'],
    [new AlreadyTakenError(), 409, 'already_taken'],
  ])('should map %p to %i %s with a sentence', (error, statusCode, code) => {
    const body = toApiError(error);
    expect(body).toMatchObject({ statusCode, code, message: error.message });
    expect(body.message).toMatch(/[.!]$/);
  });
});
