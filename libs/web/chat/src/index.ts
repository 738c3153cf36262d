export { ChatPanel } from './lib/chat-panel.component';
export { ChatStore, type ChatContext } from './lib/chat.store';
