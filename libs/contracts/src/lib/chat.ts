import type { TextFieldRule } from './limits';

/** The longest chat message, counted as every text field is (code points, after trimming). */
export const CHAT_MESSAGE_MAX = 1000;

export const CHAT_FIELDS = {
  text: { label: 'Your message', max: CHAT_MESSAGE_MAX },
} as const satisfies Record<string, TextFieldRule>;

/** Who wrote a chat message: the help session's customer, or the rep holding its match. */
export type ChatSender = 'customer' | 'rep';

/**
 * One chat message of a help session. No names: each side knows the other's (the customer the rep's display
 * name, the rep the customer's), so the customer's name is never copied into the chat.
 */
export interface ChatMessage {
  helpSessionId: string;
  /** 1, 2, 3… in the order the server took the messages; a client appends by it and drops repeats. */
  seq: number;
  from: ChatSender;
  /** Plain text, trimmed: show it as text, never as HTML. */
  text: string;
  /** Epoch milliseconds, the server's clock. */
  sentAt: number;
}

export interface SendChatMessageRequest {
  text: string;
}

export interface ChatHistoryResponse {
  /** Oldest first; only those after `?after=<seq>` when asked. */
  messages: ChatMessage[];
}
