import { signal } from '@angular/core';
import type { ChatMessage, CustomerState, RepState, SignalMessage } from '@servicekit/contracts';
import { Subject } from 'rxjs';
import type { Presence } from '../lib/presence.token';

/** A presence socket whose pushed state the test sets; what the page sends is recorded. */
export class FakePresence implements Presence {
  readonly customerState = signal<CustomerState | null>(null);
  readonly repState = signal<RepState | null>(null);
  readonly waiting = signal<number | null>(null);
  readonly connected = signal(false);
  readonly refused = signal<string | null>(null);
  /** Signals from the other side of the call, as the test pushes them. */
  readonly incoming = new Subject<SignalMessage>();
  readonly messages$ = this.incoming.asObservable();
  /** Chat messages the server pushes, as the test pushes them. */
  readonly chatIncoming = new Subject<ChatMessage>();
  readonly chat$ = this.chatIncoming.asObservable();
  readonly send = jest.fn((_message: SignalMessage) => Promise.resolve());
  readonly mediaConnected = jest.fn((_matchId: string) => Promise.resolve(true));
  readonly clearPendingSignals = jest.fn();
  readonly close = jest.fn();
}

/** Stands in for `OPEN_PRESENCE`: opens one `FakePresence` per call and remembers the token each was opened with. */
export class FakePresences {
  readonly opened: { token: string; presence: FakePresence }[] = [];
  readonly open = (token: string): FakePresence => {
    const presence = new FakePresence();
    this.opened.push({ token, presence });
    return presence;
  };

  /** The socket opened last; fails the test when none was. */
  last(): FakePresence {
    const last = this.opened.at(-1);
    if (!last) throw new Error('No presence socket was opened');
    return last.presence;
  }
}
