import { DomainError } from '@servicekit/api/errors';
import { DateTime } from 'luxon';

/** New arrivals turned away; each code tells the page to offer the callback form. */
export class ClosedError extends DomainError {
  readonly code = 'closed';

  /** `zone`: the opening hours' time zone, which the sentence names (the pages show `opensAt` in the customer's own). */
  constructor(opensAt: number | null, zone: string) {
    super(
      opensAt === null
        ? 'We are closed at the moment. Please leave a callback request and we will get back to you.'
        : `We are closed at the moment and open again on ${DateTime.fromMillis(opensAt, { zone, locale: 'en-GB' }).toFormat("cccc d LLLL 'at' HH:mm")} ` +
            `(${zone} time). You can leave a callback request.`,
    );
  }
}

export class IntakePausedError extends DomainError {
  readonly code = 'intake_paused';

  constructor() {
    super('We are not taking new customers into the queue right now. Please leave a callback request, or try again later.');
  }
}

export class QueueFullError extends DomainError {
  readonly code = 'queue_full';

  constructor() {
    super('The queue is full right now. Please leave a callback request, or try again in a few minutes.');
  }
}

export class WaitTooLongError extends DomainError {
  readonly code = 'wait_too_long';

  constructor() {
    super('The wait is too long right now. Please leave a callback request, or try again later.');
  }
}
