import { DynamicModule, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { ServiceKitConfig } from '@servicekit/api/config';
import { KeyValueStore } from '@servicekit/api/store';
import { StoreThrottlerStorage } from './store-throttler.storage';

/** The named limits; a controller applies one with `@UseGuards(ThrottlerGuard)` and skips the others. */
export const THROTTLERS = { helpSessions: 'help-sessions', signIn: 'sign-in', signInLogin: 'sign-in-login' } as const;

/** The login a sign-in is for, whichever address it comes from (guessing one account's password from many). */
function loginOf(request: Record<string, unknown>): string {
  const login = (request['body'] as { login?: unknown } | undefined)?.login;
  return typeof login === 'string' ? `login:${login.trim().toLowerCase()}` : 'login:';
}

const MINUTE_MS = 60_000;

/**
 * Per-client-address limits on asking for help (HELP_SESSION_RATE_LIMIT) and on signing in
 * (SIGN_IN_RATE_LIMIT, also per login for personal accounts), per minute, counted in the shared store so they hold across instances; 0 turns one off.
 */
@Module({})
export class RateLimitModule {
  static forRoot(): DynamicModule {
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: [ServiceKitConfig, KeyValueStore],
          useFactory: (config: ServiceKitConfig, store: KeyValueStore) => ({
            storage: new StoreThrottlerStorage(store, config.tokenSecret),
            throttlers: [
              {
                name: THROTTLERS.helpSessions,
                ttl: MINUTE_MS,
                limit: Math.max(1, config.helpSessionRateLimit),
                skipIf: () => config.helpSessionRateLimit === 0,
              },
              {
                name: THROTTLERS.signIn,
                ttl: MINUTE_MS,
                limit: Math.max(1, config.signInRateLimit),
                skipIf: () => config.signInRateLimit === 0,
              },
              {
                name: THROTTLERS.signInLogin,
                ttl: MINUTE_MS,
                limit: Math.max(1, config.signInRateLimit),
                skipIf: () => config.signInRateLimit === 0,
                getTracker: (request: Record<string, unknown>) => loginOf(request),
              },
            ],
          }),
        }),
      ],
    };
  }
}
