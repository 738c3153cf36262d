import type { ChatMessage } from '@servicekit/contracts';

/** Who hears a new message: the help session's customer, or a rep, wherever their sockets are. */
export type ChatRecipient = { kind: 'customer'; helpSessionId: string } | { kind: 'rep'; repId: string };

/** Pushes a new chat message over the recipient's presence socket(s) (bound to the presence notifier). */
export abstract class ChatDelivery {
  abstract deliver(to: ChatRecipient, message: ChatMessage): Promise<void>;
}
