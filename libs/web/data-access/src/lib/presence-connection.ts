import { signal } from '@angular/core';
import { PresenceClient } from '@servicekit/client/presence';
import { type ChatMessage, type CustomerState, REP_SESSION_END_NOTICES, type RepState, type SignalMessage } from '@servicekit/contracts';
import { Observable, Subject } from 'rxjs';

/**
 * The presence socket for a page, as signals: the latest customer or rep state, the queue length for reps,
 * the connection status. Also the signaling channel of the built-in video call.
 */
export class PresenceConnection {
  readonly customerState = signal<CustomerState | null>(null);
  readonly repState = signal<RepState | null>(null);
  readonly waiting = signal<number | null>(null);
  readonly connected = signal(false);
  /**
   * Set when the server refuses the connection (e.g. the help session ended meanwhile), or closes it because
   * the rep's session ended (signed out elsewhere, by a supervisor): the sentence to show.
   */
  readonly refused = signal<string | null>(null);
  private readonly signals = new Subject<SignalMessage>();
  /** Signals that arrived while no call listened (an offer can beat the page's join): handed to the next. */
  private pending: SignalMessage[] = [];
  private listeners = 0;
  readonly messages$: Observable<SignalMessage> = new Observable<SignalMessage>((subscriber) => {
    this.listeners++;
    const buffered = this.pending;
    this.pending = [];
    buffered.forEach((message) => subscriber.next(message));
    const subscription = this.signals.subscribe(subscriber);
    return () => {
      this.listeners--;
      subscription.unsubscribe();
    };
  });
  private readonly chat = new Subject<ChatMessage>();
  /** Chat messages pushed to this side (both sides hear every message, their own too). */
  readonly chat$: Observable<ChatMessage> = this.chat.asObservable();
  private readonly client: PresenceClient;

  constructor(url: string, token: string) {
    this.client = new PresenceClient({ url, token });
    this.client.on('customer:state', (state) => this.customerState.set(state));
    this.client.on('rep:state', (state) => {
      this.repState.set(state);
      if ('waiting' in state) this.waiting.set(state.waiting);
    });
    this.client.on('queue:waiting', ({ waiting }) => this.waiting.set(waiting));
    this.client.on('signal', (message) => (this.listeners > 0 ? this.signals.next(message) : this.pending.push(message)));
    this.client.on('chat:message', (message) => this.chat.next(message));
    this.client.on('rep:signed-out', ({ reason }) =>
      this.refused.set(REP_SESSION_END_NOTICES[reason] ?? REP_SESSION_END_NOTICES['signed-out']),
    );
    this.client.socket.on('connect', () => this.connected.set(true));
    this.client.socket.on('disconnect', () => this.connected.set(false));
    this.client.ready().catch((error: Error) => this.refused.set(error.message));
  }

  /** Forgets signals of an earlier match that nobody consumed. */
  clearPendingSignals(): void {
    this.pending = [];
  }

  /** Tells the server this side's media is up for the match (the two-phase match). */
  async mediaConnected(matchId: string): Promise<boolean> {
    try {
      return await this.client.mediaConnected(matchId);
    } catch {
      return false;
    }
  }

  /** SignalingChannel for the built-in P2P video call. */
  async send(message: SignalMessage): Promise<void> {
    const result = await this.client.signal(message);
    if (!result.ok) throw new Error(result.error ?? 'The call signal was not delivered.');
  }

  close(): void {
    this.client.close();
    this.signals.complete();
    this.chat.complete();
  }
}
