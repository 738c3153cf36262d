import { DomainError } from '@servicekit/api/errors';

/** The store kept answering "busy" for a ticket: only under pathological contention. */
export class QueueContentionError extends DomainError {
  readonly code = 'store_unavailable';

  constructor(message = 'The queue is too busy right now. Please try again in a moment.') {
    super(message);
  }
}

/** An enqueue or cancel for this help session is still in flight on another request. */
export class QueueBusyError extends DomainError {
  readonly code = 'store_unavailable';

  constructor(message = 'Another request for this place in the queue is still in progress. Please try again.') {
    super(message);
  }
}

/** The customer is already with a rep: there is no place in the queue to give. */
export class AlreadyClaimedError extends DomainError {
  readonly code = 'already_taken';

  constructor(message = 'A representative has already taken this help session.') {
    super(message);
  }
}

/** The help session's place was given up (cancelled, or skipped as gone) while this enqueue raced it. */
export class PlaceGivenUpError extends DomainError {
  readonly code = 'help_session_ended';

  constructor(
    message = 'This place in the queue was given up, so it cannot be taken again. Please ask for help again to talk to a representative.',
  ) {
    super(message);
  }
}
