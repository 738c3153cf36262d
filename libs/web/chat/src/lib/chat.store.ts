import { computed, effect, inject, Injectable, signal, untracked } from '@angular/core';
import { CHAT_FIELDS, type ChatMessage, type ChatSender, textFieldError } from '@servicekit/contracts';
import { ApiFailure, type Presence, ServiceKitApi } from '@servicekit/web/data-access';

/** What a call's chat needs from the page: whose help session, how to authenticate, and its presence socket. */
export interface ChatContext {
  helpSessionId: string;
  /** The customer token, or the rep's token (null: the rep's sign-in cookie). */
  token: string | null;
  /** The call's presence socket: it pushes `chat:message` and says when it is (re)connected. */
  presence: Pick<Presence, 'chat$' | 'connected'>;
  /** Which side this page is. */
  self: ChatSender;
  /** How the other side is named in the list ("Grace", the customer's name). */
  partnerName: string;
}

const sameContext = (a: ChatContext | null, b: ChatContext | null) =>
  a === b || (a !== null && b !== null && a.helpSessionId === b.helpSessionId && a.presence === b.presence && a.token === b.token);

/**
 * The messages of one help session's chat as signals: history loaded on every (re)connection of the socket
 * (only what came after the last one held), pushed messages appended, each once, in sequence order; and
 * what the person has not read yet. Provided by the ChatPanel, one per panel.
 */
@Injectable()
export class ChatStore {
  private readonly api = inject(ServiceKitApi);
  private readonly context = signal<ChatContext | null>(null, { equal: sameContext });
  private readonly bySeq = signal<ReadonlyMap<number, ChatMessage>>(new Map());
  /** The last sequence number the person has seen. */
  private readonly seen = signal(0);
  /** Whether the person can see the messages now (the panel open and the tab visible). */
  private readonly reading = signal<() => boolean>(() => false);
  private readonly failure = signal<string | null>(null);

  readonly messages = computed(() => [...this.bySeq().values()].sort((a, b) => a.seq - b.seq));
  readonly unread = computed(() => {
    const self = this.context()?.self;
    return this.messages().filter((message) => message.seq > this.seen() && message.from !== self).length;
  });
  readonly error = this.failure.asReadonly();
  readonly sending = signal(false);

  constructor() {
    effect((onCleanup) => {
      const context = this.context();
      if (!context) return;
      const subscription = context.presence.chat$.subscribe((message) => {
        if (message.helpSessionId === context.helpSessionId) this.merge([message]);
      });
      onCleanup(() => subscription.unsubscribe());
    });
    // Every (re)connection: whatever was sent while this page was away.
    effect(() => {
      const context = this.context();
      if (context?.presence.connected()) untracked(() => void this.load());
    });
    effect(() => {
      const last = this.messages().at(-1)?.seq ?? 0;
      if (this.reading()()) untracked(() => this.seen.set(last));
    });
  }

  /** The chat to show; a different help session starts empty. */
  attach(context: ChatContext | null): void {
    const previous = untracked(() => this.context());
    if (previous?.helpSessionId !== context?.helpSessionId) {
      this.bySeq.set(new Map());
      this.seen.set(0);
      this.failure.set(null);
    }
    this.context.set(context);
  }

  /** Whether the person sees the messages (e.g. the panel is open and the tab visible), as a signal. */
  readWhile(reading: () => boolean): void {
    this.reading.set(reading);
  }

  /** Loads the messages after the last one held. */
  async load(): Promise<void> {
    const context = this.context();
    if (!context) return;
    const after = this.messages().at(-1)?.seq ?? 0;
    try {
      this.merge(await this.api.chatHistory(context.helpSessionId, after, context.token));
    } catch (error) {
      // Ended or gone: the page says so for the whole call; the chat just stays as it was.
      if (!(error instanceof ApiFailure) || error.status !== 409) this.failure.set(messageOf(error));
    }
  }

  /** Sends the text; true when the server took it (the draft may be cleared). */
  async send(text: string): Promise<boolean> {
    const context = this.context();
    const invalid = textFieldError(text, CHAT_FIELDS.text);
    if (!context || invalid) {
      this.failure.set(invalid);
      return false;
    }
    this.sending.set(true);
    try {
      this.merge([await this.api.sendChatMessage(context.helpSessionId, text.trim(), context.token)]);
      this.failure.set(null);
      return true;
    } catch (error) {
      this.failure.set(messageOf(error));
      return false;
    } finally {
      this.sending.set(false);
    }
  }

  private merge(messages: readonly ChatMessage[]): void {
    const id = untracked(() => this.context())?.helpSessionId;
    const fresh = messages.filter((message) => message.helpSessionId === id && !this.bySeq().has(message.seq));
    if (fresh.length === 0) return;
    const next = new Map(this.bySeq());
    for (const message of fresh) next.set(message.seq, message);
    this.bySeq.set(next);
  }
}

function messageOf(error: unknown): string {
  return error instanceof ApiFailure ? error.message : $localize`:@@chat.sendFailed:The message could not be sent. Please try again.`;
}
