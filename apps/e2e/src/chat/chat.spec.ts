import { randomBytes } from 'node:crypto';
import { PresenceClient } from '@servicekit/client/presence';
import type { ApiError, ChatHistoryResponse, ChatMessage, CreateHelpSessionResponse } from '@servicekit/contracts';
import { MemcachedServer, startMemcached, waitFor } from '@servicekit/tools/testing';
import {
  ApiServer,
  call,
  claimNext,
  createHelpSession,
  dumpMemcached,
  endSession,
  enqueue,
  findSecrets,
  SHARED_SECRETS,
  signIn,
  startApiServer,
} from '@servicekit/tools/e2e-support';

/**
 * The chat of a call across instances: two API processes share one real memcached; the customer talks to one,
 * the rep to the other, so every pushed message crosses from one instance to the other.
 */
describe('chat in a call, across two instances', () => {
  let memcached: MemcachedServer;
  let customerSide: ApiServer;
  let repSide: ApiServer;
  const clients: PresenceClient[] = [];

  beforeAll(async () => {
    memcached = await startMemcached();
    const env = { ...SHARED_SECRETS, MEMCACHED_SERVERS: memcached.address, HELP_SESSION_RATE_LIMIT: '1000', SIGN_IN_RATE_LIMIT: '1000' };
    [customerSide, repSide] = await Promise.all([startApiServer(env), startApiServer(env)]);
  });

  afterAll(async () => {
    clients.splice(0).forEach((client) => client.close());
    await Promise.all([customerSide?.stop(), repSide?.stop()]);
    await memcached?.stop();
  });

  function connect(base: string, token: string): PresenceClient {
    const client = new PresenceClient({ url: base, token });
    clients.push(client);
    return client;
  }

  /** Every chat:message a client hears, in arrival order. */
  function heard(client: PresenceClient): ChatMessage[] {
    const messages: ChatMessage[] = [];
    client.on('chat:message', (message) => messages.push(message));
    return messages;
  }

  const send = (base: string, id: string, token: string, text: unknown) =>
    call<ChatMessage | ApiError>(base, 'POST', `/help-sessions/${id}/messages`, { token, body: { text } });
  const history = (base: string, id: string, token: string, after?: number) =>
    call<ChatHistoryResponse | ApiError>(base, 'GET', `/help-sessions/${id}/messages${after === undefined ? '' : `?after=${after}`}`, {
      token,
    });

  async function callBetween(
    repName: string,
  ): Promise<{ session: CreateHelpSessionResponse; customer: PresenceClient; rep: PresenceClient; repToken: string }> {
    const session = (await createHelpSession(customerSide.url, 'Ada Chat', 'My router blinks.')).body;
    const customer = connect(customerSide.url, session.customerToken);
    await customer.ready();
    expect((await enqueue(customerSide.url, session)).status).toBe(201);
    const repToken = (await signIn(repSide.url, repName)).body.token;
    const rep = connect(repSide.url, repToken);
    await rep.ready();
    const claimed = (await claimNext(repSide.url, repToken)).body;
    expect(claimed?.helpSession.id).toBe(session.id);
    return { session, customer, rep, repToken };
  }

  it('should carry messages both ways in order with sequence numbers, refuse others, and forget them all at the end', async () => {
    const { session, customer, rep, repToken } = await callBetween('Grace Chat');
    const toCustomer = heard(customer);
    const toRep = heard(rep);
    const word = randomBytes(6).toString('hex');

    // During the reservation (before both media are up) the rep may already write.
    const early = await send(repSide.url, session.id, repToken, `  I will be with you in a minute ${word}  `);
    expect(early.status).toBe(201);
    expect(early.body).toMatchObject({ seq: 1, from: 'rep', text: `I will be with you in a minute ${word}` });

    const claimed = await customer.customerStateWhere((s) => s.state === 'reserved');
    const matchId = claimed.state === 'reserved' ? claimed.matchId : '';
    await expect(customer.mediaConnected(matchId)).resolves.toBe(true);
    await expect(rep.mediaConnected(matchId)).resolves.toBe(true);
    await customer.customerStateWhere((s) => s.state === 'in-call');

    const texts = [
      `Hello from the customer ${word}`,
      `Hello from the rep ${word}`,
      `Order #12345 ${word} 😀`,
      `https://example.com/${word}`,
    ];
    expect((await send(customerSide.url, session.id, session.customerToken, texts[0])).status).toBe(201);
    expect((await send(repSide.url, session.id, repToken, texts[1])).status).toBe(201);
    expect((await send(customerSide.url, session.id, session.customerToken, texts[2])).status).toBe(201);
    expect((await send(customerSide.url, session.id, repToken, texts[3])).status).toBe(201);

    const expected = [
      [1, 'rep', `I will be with you in a minute ${word}`],
      [2, 'customer', texts[0]],
      [3, 'rep', texts[1]],
      [4, 'customer', texts[2]],
      [5, 'rep', texts[3]],
    ];
    const shape = (messages: ChatMessage[]) => messages.map((m) => [m.seq, m.from, m.text]);
    // Pushes from two instances may overtake each other (one is local, the other crosses the inbox): the
    // sequence numbers give the order, and every message arrives exactly once.
    const bySeq = (messages: ChatMessage[]) => [...messages].sort((a, b) => a.seq - b.seq);
    // Pushed across instances to both sides (the rep's socket is on the other instance from the customer's).
    await waitFor(() => toCustomer.length === 5 && toRep.length === 5, { message: 'five chat messages pushed to both sides' });
    expect(shape(bySeq(toCustomer))).toEqual(expected);
    expect(shape(bySeq(toRep))).toEqual(expected);
    // History from either instance, whole or after a sequence number.
    const whole = (await history(repSide.url, session.id, session.customerToken)).body as ChatHistoryResponse;
    expect(shape(whole.messages)).toEqual(expected);
    const tail = (await history(customerSide.url, session.id, repToken, 3)).body as ChatHistoryResponse;
    expect(tail.messages.map((m) => m.seq)).toEqual([4, 5]);

    // A third party: another rep, and another customer's token.
    const otherRep = (await signIn(customerSide.url, 'Mallory Chat')).body.token;
    const stranger = (await createHelpSession(customerSide.url, 'Eve', 'Just looking.')).body;
    for (const [status, reply] of [
      [403, await send(customerSide.url, session.id, otherRep, 'Let me in')],
      [403, await history(repSide.url, session.id, otherRep)],
      [401, await send(customerSide.url, session.id, stranger.customerToken, 'Let me in')],
      [401, await history(customerSide.url, session.id, stranger.customerToken)],
    ] as const) {
      expect(reply.status).toBe(status);
      expect((reply.body as ApiError).message).toMatch(/\.$/);
    }

    // Too long (1001 characters, counted as code points) or empty: 400 with a sentence.
    const tooLong = await send(customerSide.url, session.id, session.customerToken, '😀'.repeat(1001));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({
      code: 'validation_failed',
      message: 'Your message must be at most 1000 characters (it has 1001).',
    });
    expect((await send(customerSide.url, session.id, session.customerToken, '😀'.repeat(1000))).status).toBe(201);
    const blank = await send(customerSide.url, session.id, session.customerToken, '   ');
    expect(blank.status).toBe(400);
    expect(blank.body).toMatchObject({ code: 'validation_failed', message: 'Your message is required.' });

    // The end: the messages are gone from the store, reading and sending are refused with a sentence.
    expect((await endSession(repSide.url, session.id, repToken)).status).toBe(204);
    const after = await send(customerSide.url, session.id, session.customerToken, 'Are you still there?');
    expect(after.status).toBe(409);
    expect(after.body).toMatchObject({ code: 'help_session_ended' });
    expect((await history(repSide.url, session.id, repToken)).status).toBe(409);
    const items = await dumpMemcached(memcached.host, memcached.port);
    expect(items.some((item) => item.key.includes(session.id))).toBe(true);
    expect(items.filter((item) => findSecrets(`${item.key}\n${item.value ?? ''}`, [word]).length > 0).map((i) => i.key)).toEqual([]);
    // Nor did any message reach either instance's log.
    expect(findSecrets(customerSide.output() + repSide.output(), [word])).toEqual([]);
  });

  it('should refuse the customer until a rep has taken the help session', async () => {
    const session = (await createHelpSession(customerSide.url, 'Ada Early', 'Waiting.')).body;
    expect((await enqueue(customerSide.url, session)).status).toBe(201);
    const early = await send(customerSide.url, session.id, session.customerToken, 'Hello?');
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'no_call' });
    expect((early.body as ApiError).message).toMatch(/representative/);
    expect((await endSession(customerSide.url, session.id, session.customerToken)).status).toBe(204);
  });
});
