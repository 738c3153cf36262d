import { inject, InjectionToken } from '@angular/core';
import { API_URL, PresenceConnection } from '@servicekit/web/data-access';

/** What the console uses of the presence socket: the rep's state, the queue length, and call signaling. */
export type RepPresence = Pick<
  PresenceConnection,
  'repState' | 'waiting' | 'connected' | 'refused' | 'messages$' | 'send' | 'mediaConnected' | 'clearPendingSignals' | 'close'
>;

/** Opens the rep's presence socket for a token; replaced by a fake in tests. */
export const REP_PRESENCE = new InjectionToken<(repToken: string) => RepPresence>('REP_PRESENCE', {
  providedIn: 'root',
  factory: () => {
    const url = inject(API_URL);
    return (repToken: string) => new PresenceConnection(url, repToken);
  },
});
