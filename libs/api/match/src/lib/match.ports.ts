import type { CustomerState, RepState, VerifiedContext } from '@servicekit/contracts';

/** Whether a waiting customer is present: a live connection, or within its grace period (presence lib). */
export abstract class CustomerPresence {
  /** A customer who just queued gets the grace period to connect. */
  abstract expect(helpSessionId: string): Promise<void>;
  abstract check(helpSessionId: string): Promise<'yes' | 'gone' | 'later'>;
}

/** Pushes state changes to the people concerned, wherever they are connected (presence lib). */
export abstract class CallNotifier {
  abstract customer(helpSessionId: string, state: CustomerState): Promise<void>;
  abstract rep(repId: string, state: RepState): Promise<void>;
}

/** What the rep is handed about the customer, and what the match needs to set up the call. */
export interface CustomerDetails {
  customerName: string;
  problemText: string;
  videoSessionId: string;
  createdAt: number;
  /** What the host site vouched for (a signed context token), when the customer came through the widget. */
  verified?: VerifiedContext;
}

/** What the match reads of a help session (the help-session lib implements it). */
export abstract class HelpSessionFacts {
  /** The customer's details, or null once the help session has ended or expired. */
  abstract customer(helpSessionId: string): Promise<CustomerDetails | null>;
  /** Ended for good: its customer is never handed to a rep again. */
  abstract hasEnded(helpSessionId: string): Promise<boolean>;
  /** Neither ended nor expired. */
  abstract isOpen(helpSessionId: string): Promise<boolean>;
}
