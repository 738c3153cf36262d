import { randomBytes } from 'node:crypto';
import { PresenceClient } from '@servicekit/client/presence';
import type {
  CallbackRequestCreated,
  ChatHistoryResponse,
  ClaimedCallback,
  CreateHelpSessionResponse,
  CustomerState,
  OpsQueueResponse,
} from '@servicekit/contracts';
import { MemcachedServer, startMemcached, waitFor } from '@servicekit/tools/testing';
import {
  call,
  cancel,
  claimNext,
  endSession,
  enqueue,
  mintToken,
  SHARED_SECRETS,
  signIn,
  TEST_OPS_TOKEN,
  ApiServer,
  startApiServer,
  dumpMemcached,
  StoredItem,
  findSecrets,
} from '@servicekit/tools/e2e-support';

const GRACE_MS = 1500;
const NO_SHOW_MS = 2000;
const CONTEXT_SECRET = 'privacy-embed-context-secret-0123456789ab';
const REJOIN_MS = 2000;

/** Key patterns with counts (ids and numbers folded), for the test's output. */
function listing(items: StoredItem[]): string {
  const counts = new Map<string, number>();
  for (const { key } of items) {
    const pattern = key.replace(/[A-Za-z0-9_-]{16,}/g, '{id}').replace(/:\d+/g, ':{n}');
    counts.set(pattern, (counts.get(pattern) ?? 0) + 1);
  }
  return [...counts].map(([pattern, count]) => `  ${pattern} ×${count}`).join('\n');
}

interface Person {
  name: string;
  problem: string;
  /** The order number a host site vouched for in a signed context token (the widget). */
  reference: string;
}

/** A name, a problem and a reference nobody else writes: unicode, quotes, markup, and a random word to search for. */
function person(label: string): Person {
  const word = randomBytes(6).toString('hex');
  return {
    name: `Zoë "${label}" Ø'Łuk ${word}`,
    problem: `Mÿ röuter "${label}" blinks 🔴 <b>${word}</b> & \\ stays ${randomBytes(6).toString('hex')}`,
    reference: `Ördér #${randomBytes(6).toString('hex')}`,
  };
}

/**
 * No personal data is left behind: the whole flow on a real memcached through the built API, ended in every
 * way a help session can end, then every key the server holds is listed and read over a raw connection. No
 * customer name, problem text, verified reference or chat message may be found, in any form, and every key must expire.
 */
describe('personal data in the store after help sessions end', () => {
  let memcached: MemcachedServer;
  let server: ApiServer;
  let base: string;
  const clients: PresenceClient[] = [];
  const people: Person[] = [];
  const sessions: CreateHelpSessionResponse[] = [];
  /** Phone numbers and email addresses left in callback requests (and the phone's digits alone). */
  const contacts: string[] = [];
  /** Chat messages written in the calls. */
  const chatTexts: string[] = [];

  beforeAll(async () => {
    memcached = await startMemcached();
    server = await startApiServer({
      ...SHARED_SECRETS,
      MEMCACHED_SERVERS: memcached.address,
      EMBED_ORIGINS: 'https://shop.example',
      EMBED_CONTEXT_SECRET: CONTEXT_SECRET,
      PRESENCE_GRACE_MS: String(GRACE_MS),
      NO_SHOW_MS: String(NO_SHOW_MS),
      CALL_REJOIN_MS: String(REJOIN_MS),
      // High enough never to refuse, so that rate-limit counters are written (and looked at) too.
      HELP_SESSION_RATE_LIMIT: '1000',
      SIGN_IN_RATE_LIMIT: '1000',
    });
    base = server.url;
  });

  afterAll(async () => {
    clients.splice(0).forEach((client) => client.close());
    await server?.stop();
    await memcached?.stop();
  });

  function connect(token: string): PresenceClient {
    const client = new PresenceClient({ url: base, token });
    clients.push(client);
    return client;
  }

  async function waitingCustomer(label: string): Promise<{ session: CreateHelpSessionResponse; client: PresenceClient; who: Person }> {
    const who = person(label);
    people.push(who);
    // Every customer comes through the widget with a verified reference, which is personal data too.
    const context = mintToken({ name: who.name, reference: who.reference, exp: Math.floor(Date.now() / 1000) + 300 }, CONTEXT_SECRET);
    const created = await call<CreateHelpSessionResponse>(base, 'POST', '/help-sessions', {
      body: { customerName: who.name, problemText: who.problem, context },
    });
    expect(created.status).toBe(201);
    expect(created.body.context).toBe('verified');
    const session = created.body;
    sessions.push(session);
    const client = connect(session.customerToken);
    await client.ready();
    expect((await enqueue(base, session)).status).toBe(201);
    await client.customerStateWhere((s) => s.state === 'waiting');
    return { session, client, who };
  }

  async function rep(name: string) {
    const token = (await signIn(base, name)).body.token;
    const client = connect(token);
    await client.ready();
    return { token, client };
  }

  /** The rep takes this customer and both media come up. */
  async function inCall(
    customer: { session: CreateHelpSessionResponse; client: PresenceClient; who: Person },
    repToken: string,
    repClient: PresenceClient,
  ) {
    const claimed = (await claimNext(base, repToken)).body;
    expect(claimed?.helpSession.id).toBe(customer.session.id);
    // The reference was stored with the help session (or finding none of it afterwards would prove nothing).
    expect(claimed?.helpSession.verified).toEqual({ reference: customer.who.reference, nameVerified: true });
    const matchId = claimed?.matchId ?? '';
    await customer.client.customerStateWhere((s) => s.state === 'reserved' && s.matchId === matchId);
    await expect(customer.client.mediaConnected(matchId)).resolves.toBe(true);
    await expect(repClient.mediaConnected(matchId)).resolves.toBe(true);
    await customer.client.customerStateWhere((s) => s.state === 'in-call');
    return matchId;
  }

  async function waitingIds(): Promise<string[]> {
    const reply = await call<OpsQueueResponse>(base, 'GET', '/ops/queue', { token: TEST_OPS_TOKEN });
    expect(reply.status).toBe(200);
    return reply.body.waiting.map((entry) => entry.helpSessionId);
  }

  /** A chat message nobody else writes (markup, quotes, unicode, a random word), sent and known to be stored. */
  async function chat(session: CreateHelpSessionResponse, token: string, label: string): Promise<void> {
    const text = `Chät "${label}" <i>${randomBytes(6).toString('hex')}</i> 🔴 #${randomBytes(4).toString('hex')}`;
    chatTexts.push(text);
    expect((await call(base, 'POST', `/help-sessions/${session.id}/messages`, { token, body: { text } })).status).toBe(201);
    const stored = await call<ChatHistoryResponse>(base, 'GET', `/help-sessions/${session.id}/messages`, { token });
    expect(stored.body.messages.map((message) => message.text)).toContain(text);
  }

  const ended = (reason: string) => (s: CustomerState) => s.state === 'ended' && s.reason === reason;

  it('should find the secrets in every encoding it searches (the search itself can fail)', () => {
    const { name, problem } = person('self-check');
    const jwtPayload = Buffer.from(JSON.stringify({ sub: 'x', name })).toString('base64url');
    const planted = [
      name,
      JSON.stringify({ problemText: problem }),
      encodeURIComponent(name),
      Buffer.from(problem).toString('base64'),
      `eyJhbGciOiJIUzI1NiJ9.${jwtPayload}.c2ln`,
      JSON.stringify({ video: { token: `eyJhbGciOiJIUzI1NiJ9.${jwtPayload}.c2ln` } }),
      `1_${Buffer.from(`x~${name}~y`).toString('base64url')}`,
    ];
    for (const value of planted) expect(findSecrets(value, [name, problem])).not.toEqual([]);
    expect(findSecrets(JSON.stringify({ phone: '+49 151 2345678' }), ['+49 151 2345678'])).not.toEqual([]);
    expect(findSecrets(JSON.stringify({ id: 'abc', at: 123 }), [name, problem])).toEqual([]);
  });

  it('should leave no name, problem text or reference in any key or value, and give every key an expiry', async () => {
    const first = await rep('Privacy rep one');
    const second = await rep('Privacy rep two');

    // 1. Ended by the rep, during a call, after the customer reloaded the page.
    const byRep = await waitingCustomer('by-rep');
    await inCall(byRep, first.token, first.client);
    byRep.client.close();
    const reloaded = connect(byRep.session.customerToken);
    await reloaded.customerStateWhere((s) => s.state === 'in-call');
    expect((await endSession(base, byRep.session.id, first.token)).status).toBe(204);
    await reloaded.customerStateWhere(ended('rep-ended'));

    // 2. Ended by the customer, during a call with chat messages both ways.
    const byCustomer = await waitingCustomer('by-customer');
    await inCall(byCustomer, second.token, second.client);
    await chat(byCustomer.session, byCustomer.session.customerToken, 'customer writes');
    await chat(byCustomer.session, second.token, 'rep answers');
    await chat(byCustomer.session, byCustomer.session.customerToken, 'customer thanks');
    expect((await endSession(base, byCustomer.session.id, byCustomer.session.customerToken)).status).toBe(204);
    await second.client.repStateWhere((s) => s.state === 'ended' && s.helpSessionId === byCustomer.session.id);

    // 3. Cancelled while waiting.
    const cancelled = await waitingCustomer('cancelled');
    expect((await cancel(base, cancelled.session)).status).toBe(204);
    await cancelled.client.customerStateWhere(ended('cancelled'));

    // 4. The customer left while waiting (the socket closed past the grace period).
    const leftWaiting = await waitingCustomer('left-waiting');
    leftWaiting.client.close();
    // Watched without touching the help session (a retried enqueue would count as the customer coming back).
    await waitFor(async () => !(await waitingIds()).includes(leftWaiting.session.id), {
      message: 'the customer who left while waiting to be dropped',
      timeoutMs: GRACE_MS + 5000,
    });
    const afterLeaving = connect(leftWaiting.session.customerToken);
    await afterLeaving.customerStateWhere(ended('customer-left'));

    // 5. The customer left during a call (and was not back within the rejoin window).
    const leftCall = await waitingCustomer('left-call');
    await inCall(leftCall, first.token, first.client);
    leftCall.client.close();
    await first.client.repStateWhere((s) => s.state === 'ended' && s.reason === 'rejoin-timeout', REJOIN_MS + 5000);

    // 6. A no-show handed back to the front (the rep wrote during the reservation), taken again, then ended by the rep.
    const noShow = await waitingCustomer('no-show');
    expect((await claimNext(base, second.token)).body?.helpSession.id).toBe(noShow.session.id);
    await chat(noShow.session, second.token, 'rep during the reservation');
    await second.client.repStateWhere((s) => s.state === 'no-show', NO_SHOW_MS + 5000);
    await noShow.client.customerStateWhere((s) => s.state === 'waiting');
    await inCall(noShow, second.token, second.client);
    await chat(noShow.session, noShow.session.customerToken, 'customer after the no-show');
    expect((await endSession(base, noShow.session.id, second.token)).status).toBe(204);
    await noShow.client.customerStateWhere(ended('rep-ended'));

    // 7. Callback requests, closed as done and as not reached; the second left the queue for it.
    const repToken = first.token;
    const callbackFor = async (label: string, instead?: CreateHelpSessionResponse) => {
      const who = person(label);
      people.push(who);
      const digits = String(100_000_000 + (randomBytes(4).readUInt32BE() % 900_000_000));
      const phone = `+49 ${digits.slice(0, 3)} ${digits.slice(3)}`;
      const email = `cb.${randomBytes(6).toString('hex')}@example.com`;
      contacts.push(phone, `49${digits}`, email);
      const created = await call<CallbackRequestCreated>(base, 'POST', '/callbacks', {
        body: { customerName: who.name, problemText: who.problem, phone, email, ...(instead ? { helpSessionId: instead.id } : {}) },
        ...(instead ? { token: instead.customerToken } : {}),
      });
      expect(created.status).toBe(201);
      const claimed = await call<ClaimedCallback>(base, 'POST', `/callbacks/${created.body.id}/claim`, { token: repToken });
      expect(claimed.body).toMatchObject({ phone, email });
      return created.body.id;
    };
    const done = await callbackFor('callback-done');
    expect((await call(base, 'POST', `/callbacks/${done}/outcome`, { token: repToken, body: { outcome: 'done' } })).status).toBe(204);
    const insteadOfWaiting = await waitingCustomer('callback-instead');
    const notReached = await callbackFor('callback-not-reached', insteadOfWaiting.session);
    await insteadOfWaiting.client.customerStateWhere(ended('cancelled'));
    expect(
      (await call(base, 'POST', `/callbacks/${notReached}/outcome`, { token: repToken, body: { outcome: 'not_reached' } })).status,
    ).toBe(204);

    clients.splice(0).forEach((client) => client.close());

    const items = await dumpMemcached(memcached.host, memcached.port);
    const secrets = [...people.flatMap(({ name, problem, reference }) => [name, problem, reference]), ...contacts, ...chatTexts];
    const leaks = items
      .map((item) => ({ key: item.key, value: item.value?.slice(0, 400), found: findSecrets(`${item.key}\n${item.value ?? ''}`, secrets) }))
      .filter(({ found }) => found.length > 0);
    const forever = items.filter((item) => item.exp === -1).map((item) => item.key);

    // The listing really holds what the help sessions wrote (or this test would pass on an empty server).
    expect(items.length).toBeGreaterThan(10);
    for (const session of sessions) expect(items.some((item) => item.key.includes(session.id))).toBe(true);
    expect(chatTexts).toHaveLength(5);
    process.stdout.write(`The store holds ${items.length} keys after the help sessions ended:\n${listing(items)}\n`);
    expect(leaks).toEqual([]);
    // Keys that never expire.
    expect(forever).toEqual([]);
    expect(findSecrets(server.output(), secrets)).toEqual([]);
  });
});
