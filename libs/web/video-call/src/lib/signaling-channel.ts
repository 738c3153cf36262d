import type { SignalMessage } from '@servicekit/contracts';
import type { Observable } from 'rxjs';

/**
 * The relay between the two parties of one call (the presence socket implements it). Messages sent
 * before the other side subscribed may be lost: `PeerVideoCall` re-sends its offer until it is answered.
 */
export interface SignalingChannel {
  send(message: SignalMessage): Promise<void>;
  readonly messages$: Observable<SignalMessage>;
}
