import { loadServiceKitConfig } from '@servicekit/api/config';
import {
  HelpSessionEndedError,
  HelpSessionNotFoundError,
  type HelpSessionRecords,
  type HelpSessionService,
} from '@servicekit/api/help-session';
import { helpSessionsOn } from '@servicekit/api/help-session/testing';
import type { MatchService } from '@servicekit/api/match';
import { CUSTOMER_TOKEN_TTL_SECONDS } from '@servicekit/api/rep-auth';
import { RememberingStore } from '@servicekit/api/store/testing';
import type { ChatMessage } from '@servicekit/contracts';
import { ChatFullError, ChatRateLimitedError, NoPartnerError, NotInThisChatError } from './chat.errors';
import { ChatDelivery, ChatRecipient } from './chat.ports';
import { CHAT_MAX_MESSAGES, CHAT_RATE_LIMIT, CHAT_RATE_WINDOW_SECONDS, ChatRecords } from './chat.records';
import { ChatService } from './chat.service';

class RecordingDelivery extends ChatDelivery {
  readonly delivered: { to: ChatRecipient; message: ChatMessage }[] = [];

  async deliver(to: ChatRecipient, message: ChatMessage): Promise<void> {
    this.delivered.push({ to, message });
  }

  textsTo(to: ChatRecipient): string[] {
    return this.delivered.filter((entry) => JSON.stringify(entry.to) === JSON.stringify(to)).map((entry) => entry.message.text);
  }
}

describe('ChatService', () => {
  const config = loadServiceKitConfig({ TOKEN_SECRET: 's'.repeat(40) });
  const rep = { repId: 'rep_1', name: 'Grace' };
  const otherRep = { kind: 'rep', repId: 'rep_2' } as const;
  const asRep = { kind: 'rep', repId: rep.repId } as const;
  const asCustomer = { kind: 'customer' } as const;
  let clock: number;
  let store: RememberingStore;
  let sessions: HelpSessionService;
  let matches: MatchService;
  let delivery: RecordingDelivery;
  let chat: ChatService;

  beforeEach(() => {
    clock = Date.now();
    store = new RememberingStore({ now: () => clock });
    let records: HelpSessionRecords;
    ({ sessions, matches, records } = helpSessionsOn(store, { config, erasure: { erase: (id) => chat.erase(id) } }));
    delivery = new RecordingDelivery();
    chat = new ChatService(new ChatRecords(store), records, matches, delivery);
  });

  afterEach(async () => {
    matches.onModuleDestroy();
    await store.close();
  });

  /** A customer waiting in the queue, then taken by the rep (reserved); `confirm` brings both media up. */
  async function taken(confirm: boolean): Promise<{ id: string; matchId: string }> {
    const { id } = await sessions.create('Ada', 'Router blinks');
    await sessions.enqueue(id);
    const claim = await matches.claimNext(rep);
    if (!claim) throw new Error('The rep took nobody');
    if (confirm) {
      await matches.mediaConnected(id, claim.matchId, 'rep');
      await matches.mediaConnected(id, claim.matchId, 'customer');
    }
    return { id, matchId: claim.matchId };
  }

  it('should keep messages both ways in order with sequence numbers and push each to both sides', async () => {
    const { id } = await taken(true);
    const first = await chat.send(id, asCustomer, 'Hello, my router blinks red.', clock);
    const second = await chat.send(id, asRep, 'Hi Ada, let us look at it.', clock + 1);
    const third = await chat.send(id, asCustomer, 'Thanks!', clock + 2);

    expect([first.seq, second.seq, third.seq]).toEqual([1, 2, 3]);
    expect(second).toEqual({ helpSessionId: id, seq: 2, from: 'rep', text: 'Hi Ada, let us look at it.', sentAt: clock + 1 });
    const texts = ['Hello, my router blinks red.', 'Hi Ada, let us look at it.', 'Thanks!'];
    expect((await chat.history(id, asCustomer)).map((m) => m.text)).toEqual(texts);
    expect((await chat.history(id, asRep)).map((m) => [m.seq, m.from])).toEqual([
      [1, 'customer'],
      [2, 'rep'],
      [3, 'customer'],
    ]);
    expect((await chat.history(id, asRep, 2)).map((m) => m.seq)).toEqual([3]);
    expect(delivery.textsTo({ kind: 'customer', helpSessionId: id })).toEqual(texts);
    expect(delivery.textsTo({ kind: 'rep', repId: rep.repId })).toEqual(texts);
  });

  it('should let the rep write during the reservation, and the customer only once a rep has taken the session', async () => {
    const { id } = await sessions.create('Ada', 'Router blinks');
    await sessions.enqueue(id);
    await expect(chat.send(id, asCustomer, 'Anyone there?', clock)).rejects.toBeInstanceOf(NoPartnerError);
    await expect(chat.send(id, asRep, 'I will be with you in a minute.', clock)).rejects.toBeInstanceOf(NotInThisChatError);

    await matches.claimNext(rep);
    await expect(chat.send(id, asRep, 'I will be with you in a minute.', clock)).resolves.toMatchObject({ seq: 1, from: 'rep' });
    await expect(chat.send(id, asCustomer, 'Great.', clock)).resolves.toMatchObject({ seq: 2, from: 'customer' });
  });

  it('should refuse a rep who does not hold the match, for reading and for writing', async () => {
    const { id } = await taken(true);
    await chat.send(id, asCustomer, 'Private words', clock);
    await expect(chat.send(id, otherRep, 'Hello?', clock)).rejects.toBeInstanceOf(NotInThisChatError);
    await expect(chat.history(id, otherRep)).rejects.toBeInstanceOf(NotInThisChatError);
    await expect(chat.history('A'.repeat(22), asCustomer)).rejects.toBeInstanceOf(HelpSessionNotFoundError);
  });

  it('should delete every message when the help session ends, and refuse reading and writing after it', async () => {
    const { id } = await taken(true);
    const word = `secret-${Math.random().toString(36).slice(2)}`;
    await chat.send(id, asCustomer, `customer says ${word}`, clock);
    await chat.send(id, asRep, `rep says ${word}`, clock);
    expect((await store.holding(word)).length).toBe(2);

    await sessions.end(id, 'rep-ended');

    expect(await store.holding(word)).toEqual([]);
    await expect(chat.history(id, asCustomer)).rejects.toBeInstanceOf(HelpSessionEndedError);
    await expect(chat.history(id, asRep)).rejects.toBeInstanceOf(HelpSessionEndedError);
    await expect(chat.send(id, asCustomer, 'Still there?', clock)).rejects.toBeInstanceOf(HelpSessionEndedError);
    await expect(chat.history(id, otherRep)).rejects.toBeInstanceOf(NotInThisChatError);
  });

  it('should delete the messages when the customer leaves the queue-time reservation for good', async () => {
    const { id } = await taken(false);
    await chat.send(id, asRep, 'I will be with you in a minute.', clock);
    await sessions.customerLeft(id);
    expect(await store.holding('with you in a minute')).toEqual([]);
  });

  it('should let no message outlive the help session, even when nothing deletes it', async () => {
    const { id } = await taken(true);
    // Written late in the session's life: its TTL is what is left of the session's, not a fresh one.
    const late = clock + (CUSTOMER_TOKEN_TTL_SECONDS - 60) * 1000;
    clock = late;
    await chat.send(id, asCustomer, 'A late message', late);
    clock = late + 30_000;
    expect(await store.holding('A late message')).toHaveLength(1);
    clock = late + 61_000;
    expect(await store.holding('A late message')).toEqual([]);
  });

  it('should rate limit each sender on its own, per window', async () => {
    const { id } = await taken(true);
    for (let i = 0; i < CHAT_RATE_LIMIT; i++) await chat.send(id, asCustomer, `message ${i}`, clock);
    await expect(chat.send(id, asCustomer, 'one too many', clock)).rejects.toBeInstanceOf(ChatRateLimitedError);
    await expect(chat.send(id, asRep, 'the rep may still write', clock)).resolves.toMatchObject({ from: 'rep' });
    const nextWindow = clock + CHAT_RATE_WINDOW_SECONDS * 1000;
    await expect(chat.send(id, asCustomer, 'after a minute', nextWindow)).resolves.toMatchObject({ from: 'customer' });
  });

  it('should stop a conversation at its message limit', async () => {
    const { id } = await taken(true);
    const windows = Math.ceil(CHAT_MAX_MESSAGES / CHAT_RATE_LIMIT);
    for (let w = 0; w < windows; w++) {
      const at = clock + w * CHAT_RATE_WINDOW_SECONDS * 1000;
      const count = Math.min(CHAT_RATE_LIMIT, CHAT_MAX_MESSAGES - w * CHAT_RATE_LIMIT);
      for (let i = 0; i < count; i++) await chat.send(id, asCustomer, `m${w}-${i}`, at);
    }
    const later = clock + windows * CHAT_RATE_WINDOW_SECONDS * 1000;
    await expect(chat.send(id, asCustomer, 'one more', later)).rejects.toBeInstanceOf(ChatFullError);
    expect(await chat.history(id, asRep)).toHaveLength(CHAT_MAX_MESSAGES);
  });
});
