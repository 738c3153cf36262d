import { Module } from '@nestjs/common';
import { RepAccounts } from './accounts/rep-accounts';
import { CustomerGuard, CustomerOrRepGuard, RepGuard, SupervisorGuard } from './auth.guards';
import { RepAuthService } from './rep-auth.service';
import { RepsController } from './reps.controller';
import { RepAuthenticator } from './sessions/rep-authenticator';
import { RepSessions } from './sessions/rep-sessions.records';
import { SsoController } from './sso/sso.controller';
import { SsoSignIn } from './sso/sso-sign-in.service';
import { TokenService } from './token.service';
import { RepStatusController } from './status/rep-status.controller';
import { RepStatusService } from './status/rep-status';

/**
 * Who is calling: rep sign-in (the shared passcode, personal accounts, single sign-on), rep sessions with
 * their idle timeout and revocation, the customer and rep tokens, and the guards that check them. Modules
 * whose controllers use the guards import this one. Expects RepSignOuts from the composition root.
 */
@Module({
  controllers: [RepsController, SsoController, RepStatusController],
  providers: [
    TokenService,
    RepSessions,
    RepStatusService,
    RepAccounts,
    RepAuthenticator,
    SsoSignIn,
    RepAuthService,
    CustomerGuard,
    RepGuard,
    SupervisorGuard,
    CustomerOrRepGuard,
  ],
  exports: [
    TokenService,
    RepSessions,
    RepStatusService,
    RepAuthenticator,
    RepAuthService,
    CustomerGuard,
    RepGuard,
    SupervisorGuard,
    CustomerOrRepGuard,
  ],
})
export class RepAuthModule {}
