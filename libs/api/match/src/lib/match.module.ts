import { Module } from '@nestjs/common';
import { QueueModule } from '@servicekit/api/queue';
import { RepAuthModule } from '@servicekit/api/rep-auth';
import { IceServersController } from './ice-servers.controller';
import { MatchRecords } from './match.records';
import { MatchService } from './match.service';

/**
 * The match between a rep and a customer, and the ICE servers of its call (`GET /api/video/ice-servers`).
 * Expects, besides the store, video, ICE servers, config and metrics, the ports it declares
 * (HelpSessionFacts, CustomerPresence, CallNotifier), bound in the composition root.
 */
@Module({
  imports: [QueueModule, RepAuthModule],
  controllers: [IceServersController],
  providers: [MatchRecords, MatchService],
  exports: [MatchService],
})
export class MatchModule {}
