/** Typed domain errors of help sessions; the HTTP edge (libs/api/http) maps each to one status. */
export class HelpSessionNotFoundError extends Error {
  constructor(message = 'This help session does not exist or has expired. Please ask for help again.') {
    super(message);
    this.name = 'HelpSessionNotFoundError';
  }
}

export class HelpSessionEndedError extends Error {
  constructor(message = 'This help session has ended. Please ask for help again to talk to a representative.') {
    super(message);
    this.name = 'HelpSessionEndedError';
  }
}

export class AlreadyTakenError extends Error {
  constructor(message = 'A representative has already taken this customer, so the request can no longer be cancelled.') {
    super(message);
    this.name = 'AlreadyTakenError';
  }
}

export class NotInQueueError extends Error {
  constructor(message = 'This help session is not waiting in the queue.') {
    super(message);
    this.name = 'NotInQueueError';
  }
}

/** Missing, malformed, expired or foreign credentials. */
export class UnauthenticatedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}
