import { inject, InjectionToken } from '@angular/core';
import { API_URL } from './api-url.token';
import { PresenceConnection } from './presence-connection';

/** What a page uses of its presence socket: the pushed state, the queue length, and call signaling. */
export type Presence = Pick<
  PresenceConnection,
  | 'customerState'
  | 'repState'
  | 'waiting'
  | 'connected'
  | 'refused'
  | 'messages$'
  | 'chat$'
  | 'send'
  | 'mediaConnected'
  | 'clearPendingSignals'
  | 'close'
>;

/** Opens the presence socket for a customer or rep token, at the API origin; replaced by a fake in tests. */
export const OPEN_PRESENCE = new InjectionToken<(token: string) => Presence>('OPEN_PRESENCE', {
  providedIn: 'root',
  factory: () => {
    const url = inject(API_URL);
    return (token: string) => new PresenceConnection(url, token);
  },
});
