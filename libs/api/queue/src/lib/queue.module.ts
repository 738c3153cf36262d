import { Module } from '@nestjs/common';
import { RepAuthModule } from '@servicekit/api/rep-auth';
import { HelpQueue } from './help-queue';
import { QueueController } from './queue.controller';

/**
 * The FIFO help queue and its endpoint, `POST /api/queue/next`. The endpoint hands customers out through the
 * CustomerClaims port: making a reservation is the match's work, and the match uses the queue, so a direct
 * import would be a cycle. The match implements the port; the composition root (apps/api) binds it.
 */
@Module({
  imports: [RepAuthModule],
  controllers: [QueueController],
  providers: [HelpQueue],
  exports: [HelpQueue],
})
export class QueueModule {}
