import { Module } from '@nestjs/common';
import { HelpSessionModule } from '@servicekit/api/help-session';
import { MatchModule } from '@servicekit/api/match';
import { RepAuthModule } from '@servicekit/api/rep-auth';
import { ChatController } from './chat.controller';
import { ChatRecords } from './chat.records';
import { ChatService } from './chat.service';

/**
 * The text chat of help sessions (`/api/help-sessions/:id/messages`). Expects the ChatDelivery port (the
 * presence notifier) from the composition root, which also binds the help session's SessionErasure to it.
 */
@Module({
  imports: [HelpSessionModule, MatchModule, RepAuthModule],
  controllers: [ChatController],
  providers: [ChatRecords, ChatService],
  exports: [ChatService],
})
export class ChatModule {}
