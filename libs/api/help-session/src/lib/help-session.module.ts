import { Module } from '@nestjs/common';
import { QueueModule } from '@servicekit/api/queue';
import { RepAuthModule } from '@servicekit/api/rep-auth';
import { HelpSessionService } from './help-session.service';
import { HelpSessionsController } from './help-sessions.controller';

/**
 * Help sessions from creation to end (`/api/help-sessions`). Expects KeyValueStore, VideoProvider,
 * ServiceKitConfig and the call ports (CustomerPresence, CallNotifier) from the composition root.
 */
@Module({
  imports: [QueueModule, RepAuthModule],
  controllers: [HelpSessionsController],
  providers: [HelpSessionService],
  exports: [HelpSessionService],
})
export class HelpSessionModule {}
