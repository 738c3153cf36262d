import {
  ClientToServerEvents,
  CustomerState,
  PRESENCE_NAMESPACE,
  RepState,
  ServerToClientEvents,
  SignalMessage,
} from '@servicekit/contracts';
import { io, Socket } from 'socket.io-client';

export interface PresenceClientOptions {
  /** The API origin, e.g. "http://127.0.0.1:3000" or "" for the page's own origin. */
  url: string;
  /** The customer token or the rep token. */
  token: string;
  /** How long an acknowledged emit may take. */
  ackTimeoutMs?: number;
}

type Listener<E extends keyof ServerToClientEvents> = ServerToClientEvents[E];

/**
 * A typed client of the `/presence` namespace, for the apps and the black-box tests. The server holds the
 * lease while the socket is open; socket.io reconnects by itself after a network blip, and every
 * (re)connection receives the full current state, so nothing is missed while away.
 */
export class PresenceClient {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private lastCustomerState: CustomerState | null = null;
  private lastRepState: RepState | null = null;
  private lastWaiting: number | null = null;
  private readonly ackTimeoutMs: number;

  constructor(options: PresenceClientOptions) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5000;
    this.socket = io(`${options.url}${PRESENCE_NAMESPACE}`, {
      auth: { token: options.token },
      // WebSocket only: API instances share no memory, so long-polling (sticky sessions) is not offered.
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: 300,
      reconnectionDelayMax: 3000,
    });
    this.socket.on('customer:state', (state) => (this.lastCustomerState = state));
    this.socket.on('rep:state', (state) => {
      this.lastRepState = state;
      if ('waiting' in state) this.lastWaiting = state.waiting;
    });
    this.socket.on('queue:waiting', ({ waiting }) => (this.lastWaiting = waiting));
  }

  get customerState(): CustomerState | null {
    return this.lastCustomerState;
  }

  get repState(): RepState | null {
    return this.lastRepState;
  }

  /** Customers waiting, as last pushed to a rep. */
  get waiting(): number | null {
    return this.lastWaiting;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Resolves once connected; rejects with the server's reason when the handshake is refused. */
  ready(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onConnect = () => {
        this.socket.off('connect_error', onError);
        resolve();
      };
      const onError = (error: Error) => {
        // A refused handshake is final; a transport error is retried by socket.io.
        if (this.socket.active) return;
        this.socket.off('connect', onConnect);
        reject(error);
      };
      this.socket.once('connect', onConnect);
      this.socket.on('connect_error', onError);
    });
  }

  on<E extends keyof ServerToClientEvents>(event: E, listener: Listener<E>): () => void {
    (this.socket.on as (e: string, l: unknown) => void)(event, listener);
    return () => (this.socket.off as (e: string, l: unknown) => void)(event, listener);
  }

  /** Reports that this side's media is up for the given match (the two-phase match confirmation). */
  async mediaConnected(matchId: string): Promise<boolean> {
    const result = await this.socket.timeout(this.ackTimeoutMs).emitWithAck('media:connected', { matchId });
    return result.ok;
  }

  /** Relays a call signal to the match partner. */
  async signal(message: SignalMessage): Promise<{ ok: boolean; error?: string }> {
    return this.socket.timeout(this.ackTimeoutMs).emitWithAck('signal', message);
  }

  /** Resolves with the first customer state (current or future) that matches. */
  customerStateWhere(predicate: (state: CustomerState) => boolean, timeoutMs = 10_000): Promise<CustomerState> {
    return this.until('customer:state', () => this.lastCustomerState, predicate, timeoutMs);
  }

  /** Resolves with the first rep state (current or future) that matches. */
  repStateWhere(predicate: (state: RepState) => boolean, timeoutMs = 10_000): Promise<RepState> {
    return this.until('rep:state', () => this.lastRepState, predicate, timeoutMs);
  }

  close(): void {
    this.socket.disconnect();
  }

  private until<S>(
    event: 'customer:state' | 'rep:state',
    current: () => S | null,
    predicate: (state: S) => boolean,
    timeoutMs: number,
  ): Promise<S> {
    const now = current();
    if (now !== null && predicate(now)) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const listener = (state: S) => {
        if (!predicate(state)) return;
        clearTimeout(timer);
        off();
        resolve(state);
      };
      const off = this.on(event, listener as never);
      const timer = setTimeout(() => {
        off();
        reject(new Error(`No matching ${event} within ${timeoutMs} ms (last: ${JSON.stringify(current())}).`));
      }, timeoutMs);
    });
  }
}
