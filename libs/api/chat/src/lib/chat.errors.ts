import { DomainError } from '@servicekit/api/errors';

/** Someone signed in who is not a party to this help session's chat. */
export class NotInThisChatError extends DomainError {
  readonly code = 'forbidden';

  constructor(message = 'Only the customer and the representative who took this help session can read or write its messages.') {
    super(message);
  }
}

/** The customer writes before any rep has taken the help session (or after it went back to the queue). */
export class NoPartnerError extends DomainError {
  readonly code = 'no_call';

  constructor(message = 'No representative is with you yet. You can write once a representative has taken your request.') {
    super(message);
  }
}

export class ChatRateLimitedError extends DomainError {
  readonly code = 'rate_limited';

  constructor(message = 'You are sending messages too quickly. Please wait a moment and send it again.') {
    super(message);
  }
}

export class ChatFullError extends DomainError {
  readonly code = 'rate_limited';

  constructor(message = 'This conversation has reached its message limit. Please say the rest in the call.') {
    super(message);
  }
}
