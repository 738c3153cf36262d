import { Module } from '@nestjs/common';
import { HelpSessionModule } from '@servicekit/api/help-session';
import { RepAuthModule } from '@servicekit/api/rep-auth';
import { FeedbackController } from './feedback.controller';
import { FeedbackRecords } from './feedback.records';
import { FeedbackService } from './feedback.service';

/** Ratings after a call (`POST /api/feedback`); the operators' report is served by the ops lib. */
@Module({
  imports: [HelpSessionModule, RepAuthModule],
  controllers: [FeedbackController],
  providers: [FeedbackRecords, FeedbackService],
  exports: [FeedbackService],
})
export class FeedbackModule {}
