export { ChatModule } from './lib/chat.module';
export { ChatService, type ChatParty } from './lib/chat.service';
export { ChatRecords, CHAT_MAX_MESSAGES, CHAT_RATE_LIMIT, CHAT_RATE_WINDOW_SECONDS } from './lib/chat.records';
export { ChatDelivery, type ChatRecipient } from './lib/chat.ports';
export * from './lib/chat.errors';
