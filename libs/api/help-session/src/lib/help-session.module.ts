import { Module } from '@nestjs/common';
import { HoursModule } from '@servicekit/api/hours';
import { MatchModule } from '@servicekit/api/match';
import { QueueModule } from '@servicekit/api/queue';
import { RepAuthModule } from '@servicekit/api/rep-auth';
import { HelpSessionRecords } from './help-session.records';
import { HelpSessionService } from './help-session.service';
import { HelpSessionsController } from './help-sessions.controller';

/**
 * Help sessions from creation to end (`/api/help-sessions`). HelpSessionRecords also answers the match's
 * HelpSessionFacts port (bound in the composition root). Expects the store, video, config, metrics and the
 * call ports (CustomerPresence, CallNotifier) from there too.
 */
@Module({
  imports: [QueueModule, RepAuthModule, MatchModule, HoursModule],
  controllers: [HelpSessionsController],
  providers: [HelpSessionRecords, HelpSessionService],
  exports: [HelpSessionService, HelpSessionRecords],
})
export class HelpSessionModule {}
