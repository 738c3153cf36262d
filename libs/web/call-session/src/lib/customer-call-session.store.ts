import { Injectable } from '@angular/core';
import type { CustomerState, QueuePositionResponse } from '@servicekit/contracts';
import type { Presence } from '@servicekit/web/data-access';
import { type CallSessionEvent, customerEvent, type CustomerMatch } from './call-session.machine';
import { CallSession } from './call-session.store';

/** The customer's side of the call session: the queue place, the rep's reservation, the call. */
@Injectable()
export class CustomerCallSession extends CallSession<CustomerMatch, CustomerState> {
  protected readonly role = 'customer';

  /** The answer to this page's request to join the queue; ignored when the server's pushes already said more. */
  enqueued(place: QueuePositionResponse): void {
    this.apply({ type: 'enqueued', position: place.position, estimatedWaitMs: place.estimatedWaitMs });
  }

  protected pushedState(presence: Presence): CustomerState | null {
    return presence.customerState();
  }

  protected toEvent(pushed: CustomerState): CallSessionEvent<CustomerMatch> {
    return customerEvent(pushed);
  }
}
