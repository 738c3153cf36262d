import { Module } from '@nestjs/common';
import { HoursModule } from '@servicekit/api/hours';
import { MatchModule } from '@servicekit/api/match';
import { QueueModule } from '@servicekit/api/queue';
import { RepAuthModule } from '@servicekit/api/rep-auth';
import { EmbedContextVerifier } from './embed-context.verifier';
import { HelpSessionRecords } from './help-session.records';
import { HelpSessionRecovery } from './help-session.recovery';
import { HelpSessionService } from './help-session.service';
import { HelpSessionsController } from './help-sessions.controller';

/**
 * Help sessions from creation to end (`/api/help-sessions`), and their restoration after the store lost them
 * (HelpSessionRecovery, which presence's CustomerRecovery port is bound to). HelpSessionRecords also answers
 * the match's HelpSessionFacts port (bound in the composition root). Expects the store, video, config,
 * metrics and the call ports (CustomerPresence, CallNotifier) from there too.
 */
@Module({
  imports: [QueueModule, RepAuthModule, MatchModule, HoursModule],
  controllers: [HelpSessionsController],
  providers: [HelpSessionRecords, HelpSessionService, HelpSessionRecovery, EmbedContextVerifier],
  exports: [HelpSessionService, HelpSessionRecords, HelpSessionRecovery],
})
export class HelpSessionModule {}
