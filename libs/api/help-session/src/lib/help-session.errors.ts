import { DomainError } from '@servicekit/api/errors';

/** Typed domain errors of help sessions; each carries its code, which the exception filter maps to a status. */
export class HelpSessionNotFoundError extends DomainError {
  readonly code = 'not_found';

  constructor(message = 'This help session does not exist or has expired. Please ask for help again.') {
    super(message);
  }
}

export class HelpSessionEndedError extends DomainError {
  readonly code = 'help_session_ended';

  constructor(message = 'This help session has ended. Please ask for help again to talk to a representative.') {
    super(message);
  }
}

export class AlreadyTakenError extends DomainError {
  readonly code = 'already_taken';

  constructor(message = 'A representative has already taken this customer, so the request can no longer be cancelled.') {
    super(message);
  }
}

export class NotInQueueError extends DomainError {
  readonly code = 'not_found';

  constructor(message = 'This help session is not waiting in the queue.') {
    super(message);
  }
}
