import { InjectionToken } from '@angular/core';

export interface ConsoleConfig {
  /**
   * The shortest time between two claim requests while waiting: the server holds each one up to 25 s, but
   * should it answer at once (a proxy cutting long requests), the console must not hammer it.
   */
  minClaimIntervalMs: number;
}

export const CONSOLE_CONFIG = new InjectionToken<ConsoleConfig>('CONSOLE_CONFIG', {
  providedIn: 'root',
  factory: () => ({ minClaimIntervalMs: 1000 }),
});
