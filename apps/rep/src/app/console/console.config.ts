import { InjectionToken } from '@angular/core';

export interface ConsoleConfig {
  /**
   * The shortest time between two claim requests while waiting: the server holds each one up to 25 s, but
   * should it answer at once (a proxy cutting long requests), the console must not hammer it.
   */
  minClaimIntervalMs: number;
  /** How often the callback requests are read again (also whenever the tab comes back into view). */
  callbackRefreshMs: number;
}

export const CONSOLE_CONFIG = new InjectionToken<ConsoleConfig>('CONSOLE_CONFIG', {
  providedIn: 'root',
  factory: () => ({ minClaimIntervalMs: 1000, callbackRefreshMs: 5000 }),
});
