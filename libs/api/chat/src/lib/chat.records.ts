import { Injectable } from '@nestjs/common';
import { KeyValueStore } from '@servicekit/api/store';
import type { ChatMessage, ChatSender } from '@servicekit/contracts';

/** What is stored per message: the help session and the sequence number are in the key. */
interface StoredMessage {
  from: ChatSender;
  text: string;
  sentAt: number;
}

/** A conversation this long is not a support chat: the last sequence number a help session may use. */
export const CHAT_MAX_MESSAGES = 500;
/** Messages one sender (one side of one help session) may send per rate window. */
export const CHAT_RATE_LIMIT = 30;
export const CHAT_RATE_WINDOW_SECONDS = 60;

/**
 * The store keys of chat messages, and only these. Every TTL is the help session's remaining life (the
 * caller passes it), so no message outlives its help session even when nothing deletes it; the end deletes
 * them all (`erase`).
 *   chat:{id}:n            the last sequence number taken (a counter: `increment` hands out each number once)
 *   chat:{id}:{seq}        one message (`{from, text, sentAt}`), written once with `add`
 *   chat:{id}:r:{side}:{w} how many messages that side sent in rate window w (no text)
 */
@Injectable()
export class ChatRecords {
  constructor(private readonly store: KeyValueStore) {}

  /**
   * Stores a message under the next sequence number; null when the help session has used all of its
   * numbers. `add` keeps a number from ever holding two messages (a counter recreated after a store restart
   * starts again at 1 while older entries may survive on another server: those numbers are skipped).
   */
  async append(helpSessionId: string, message: StoredMessage, ttlSeconds: number): Promise<ChatMessage | null> {
    for (;;) {
      const seq = await this.store.increment(counterKey(helpSessionId), 1, { initial: 1, ttlSeconds });
      if (seq > CHAT_MAX_MESSAGES) return null;
      if (await this.store.add(entryKey(helpSessionId, seq), JSON.stringify(message), ttlSeconds)) {
        return { helpSessionId, seq, ...message };
      }
    }
  }

  /** The messages after `after`, oldest first (a number whose entry is gone is skipped). */
  async after(helpSessionId: string, after: number): Promise<ChatMessage[]> {
    const last = Math.min(CHAT_MAX_MESSAGES, await this.lastSeq(helpSessionId));
    const seqs = Array.from({ length: Math.max(0, last - after) }, (_, i) => after + 1 + i);
    const raw = await Promise.all(seqs.map((seq) => this.store.get(entryKey(helpSessionId, seq))));
    return raw.flatMap((value, i) => {
      const seq = seqs[i];
      if (value === null || seq === undefined) return [];
      const stored = JSON.parse(value) as StoredMessage;
      return [{ helpSessionId, seq, from: stored.from, text: stored.text, sentAt: stored.sentAt }];
    });
  }

  /** Counts a message of this sender in the current window; false when the sender is over the limit. */
  async withinRate(helpSessionId: string, from: ChatSender, now: number): Promise<boolean> {
    const window = Math.floor(now / 1000 / CHAT_RATE_WINDOW_SECONDS);
    const count = await this.store.increment(rateKey(helpSessionId, from, window), 1, {
      initial: 1,
      ttlSeconds: CHAT_RATE_WINDOW_SECONDS + 2,
    });
    return count <= CHAT_RATE_LIMIT;
  }

  /** Deletes every message of the help session and its counter. Idempotent. */
  async erase(helpSessionId: string): Promise<void> {
    const last = Math.min(CHAT_MAX_MESSAGES, await this.lastSeq(helpSessionId));
    await Promise.all(Array.from({ length: last }, (_, i) => this.store.delete(entryKey(helpSessionId, i + 1))));
    await this.store.delete(counterKey(helpSessionId));
  }

  private async lastSeq(helpSessionId: string): Promise<number> {
    return Number.parseInt((await this.store.get(counterKey(helpSessionId))) ?? '0', 10) || 0;
  }
}

const counterKey = (helpSessionId: string) => `chat:${helpSessionId}:n`;
const entryKey = (helpSessionId: string, seq: number) => `chat:${helpSessionId}:${seq}`;
const rateKey = (helpSessionId: string, from: ChatSender, window: number) => `chat:${helpSessionId}:r:${from}:${window}`;
