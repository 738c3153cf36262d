import { DomainError } from '@servicekit/api/errors';

export class CallbackNotFoundError extends DomainError {
  readonly code = 'not_found';

  constructor() {
    super('This callback request does not exist, was closed or has expired.');
  }
}

export class CallbackTakenError extends DomainError {
  readonly code = 'already_taken';

  constructor() {
    super('Another representative has already taken this callback request. Pick another one from the list.');
  }
}

export class NotYourCallbackError extends DomainError {
  readonly code = 'forbidden';

  constructor() {
    super('Only the representative who took this callback request can close it. Take it first.');
  }
}
