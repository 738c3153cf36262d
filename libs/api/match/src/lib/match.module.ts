import { Module } from '@nestjs/common';
import { QueueModule } from '@servicekit/api/queue';
import { MatchRecords } from './match.records';
import { MatchService } from './match.service';

/**
 * The match between a rep and a customer. Expects, besides the store, video, config and metrics, the ports
 * it declares (HelpSessionFacts, CustomerPresence, CallNotifier), bound in the composition root.
 */
@Module({
  imports: [QueueModule],
  providers: [MatchRecords, MatchService],
  exports: [MatchService],
})
export class MatchModule {}
