import { Module } from '@nestjs/common';
import { HelpSessionModule } from '@servicekit/api/help-session';
import { RepAuthModule } from '@servicekit/api/rep-auth';
import { CallbackRecords } from './callback.records';
import { CallbacksController } from './callbacks.controller';
import { CallbacksService } from './callbacks.service';

/** Callback requests (`/api/callbacks`). Expects the store, config, metrics and rate limits from the composition root. */
@Module({
  imports: [HelpSessionModule, RepAuthModule],
  controllers: [CallbacksController],
  providers: [CallbackRecords, CallbacksService],
  exports: [CallbacksService],
})
export class CallbacksModule {}
