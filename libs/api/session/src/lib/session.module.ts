import { Module } from '@nestjs/common';
import { HelpQueue } from '@servicekit/api/queue';
import { CustomerGuard, CustomerOrRepGuard, RepGuard } from './auth.guards';
import { HelpSessionService } from './help-session.service';
import { HelpSessionsController } from './help-sessions.controller';
import { QueueController } from './queue.controller';
import { RepAuthService } from './rep-auth.service';
import { RepsController } from './reps.controller';
import { TokenService } from './token.service';

/**
 * Help sessions, rep sign-in and the queue endpoints. Expects KeyValueStore, VideoProvider and
 * ServiceKitConfig from the composition root.
 */
@Module({
  controllers: [HelpSessionsController, RepsController, QueueController],
  providers: [HelpQueue, HelpSessionService, RepAuthService, TokenService, CustomerGuard, RepGuard, CustomerOrRepGuard],
  exports: [HelpSessionService, TokenService, HelpQueue],
})
export class SessionModule {}
