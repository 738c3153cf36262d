import { Module } from '@nestjs/common';
import { CustomerGuard, CustomerOrRepGuard, RepGuard } from './auth.guards';
import { RepAuthService } from './rep-auth.service';
import { RepsController } from './reps.controller';
import { TokenService } from './token.service';

/**
 * Who is calling: rep sign-in (the passcode, the rep token and its cookie), the customer and rep tokens, and
 * the guards that check them. Modules whose controllers use the guards import this one.
 */
@Module({
  controllers: [RepsController],
  providers: [TokenService, RepAuthService, CustomerGuard, RepGuard, CustomerOrRepGuard],
  exports: [TokenService, CustomerGuard, RepGuard, CustomerOrRepGuard],
})
export class RepAuthModule {}
