import { PresenceClient } from '@servicekit/client/presence';
import type { CreateHelpSessionResponse, CustomerState, SignalMessage } from '@servicekit/contracts';
import { MemcachedServer, startMemcached, waitFor } from '@servicekit/tools/testing';
import type { OpsQueueResponse } from '@servicekit/contracts';
import {
  call,
  claimNext,
  createHelpSession,
  customerTokenFor,
  drainQueue,
  endSession,
  enqueue,
  mintToken,
  SHARED_SECRETS,
  signIn,
  TEST_OPS_TOKEN,
  ApiServer,
  startApiServer,
} from '@servicekit/tools/e2e-support';

const GRACE_MS = 1500;
const NO_SHOW_MS = 1500;
const REJOIN_MS = 3000;
/** Deadlines are facts in the store that every instance sweeps: each is acted on within this of passing. */
const SLACK_MS = 3000;

type Setup = { name: string; instances: number };

/**
 * Presence over real sockets: two API instances sharing a real memcached (the customer on one, the rep on
 * the other), and one instance on the in-memory store.
 */
describe.each<Setup>([
  { name: 'two instances sharing memcached', instances: 2 },
  { name: 'one instance on the in-memory store', instances: 1 },
])('presence: $name', ({ instances }) => {
  let memcached: MemcachedServer | undefined;
  const servers: ApiServer[] = [];
  const clients: PresenceClient[] = [];
  /** The customer's instance and the rep's instance (the same one when there is only one). */
  const customerBase = () => servers[0]!.url;
  const repBase = () => servers[servers.length - 1]!.url;

  beforeAll(async () => {
    memcached = instances > 1 ? await startMemcached() : undefined;
    const env = {
      ...SHARED_SECRETS,
      PRESENCE_GRACE_MS: String(GRACE_MS),
      NO_SHOW_MS: String(NO_SHOW_MS),
      CALL_REJOIN_MS: String(REJOIN_MS),
      HELP_SESSION_RATE_LIMIT: '0',
      SIGN_IN_RATE_LIMIT: '0',
      ...(memcached ? { MEMCACHED_SERVERS: memcached.address } : {}),
    };
    servers.push(...(await Promise.all(Array.from({ length: instances }, () => startApiServer(env)))));
  });

  afterEach(async () => {
    clients.splice(0).forEach((client) => client.close());
    // The customers whose sockets just closed keep their tickets until their leave is confirmed (a sweep after
    // the grace period): the next test starts on an empty queue.
    await waitFor(
      async () => {
        await drainQueue(repBase());
        return (await call<OpsQueueResponse>(repBase(), 'GET', '/ops/queue', { token: TEST_OPS_TOKEN })).body.waiting.length === 0;
      },
      { timeoutMs: GRACE_MS + SLACK_MS + 2000, message: 'the queue to be empty after the test' },
    );
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await memcached?.stop();
  });

  function connect(base: string, token: string): PresenceClient {
    const client = new PresenceClient({ url: base, token });
    clients.push(client);
    return client;
  }

  /** A customer with a help session, a live socket and a place in the queue. */
  async function waitingCustomer(name = 'Ada'): Promise<{ session: CreateHelpSessionResponse; client: PresenceClient }> {
    const session = (await createHelpSession(customerBase(), name)).body;
    const client = connect(customerBase(), session.customerToken);
    await client.ready();
    expect((await enqueue(customerBase(), session)).status).toBe(201);
    await client.customerStateWhere((s) => s.state === 'waiting');
    return { session, client };
  }

  async function rep(name = 'Grace') {
    const token = (await signIn(repBase(), name)).body.token;
    const client = connect(repBase(), token);
    await client.ready();
    return { token, client };
  }

  const position = (state: CustomerState) => (state.state === 'waiting' ? state.position : -1);

  it('should refuse handshakes without a valid customer or rep token, saying why', async () => {
    const attempts: [string | undefined, string][] = [
      [undefined, 'A customer or rep token is required to connect.'],
      ['garbage', 'The token is not valid or has expired.'],
      [customerTokenFor('some-id', -60), 'The token is not valid or has expired.'],
      [
        mintToken({ sub: 'x', aud: 'servicekit-customer', exp: 9_999_999_999 }, 'another-secret-0123456789abcdef'),
        'The token is not valid or has expired.',
      ],
    ];
    for (const [token, reason] of attempts) {
      const client = connect(customerBase(), token as string);
      await expect(client.ready()).rejects.toThrow(reason);
    }
  });

  it('should push the live position, and move it up within 1 s of a claim made on the other instance', async () => {
    const first = await waitingCustomer('First');
    const second = await waitingCustomer('Second');
    expect(position(await second.client.customerStateWhere((s) => s.state === 'waiting'))).toBe(2);
    const { token } = await rep();
    const claimedAt = Date.now();
    expect((await claimNext(repBase(), token)).body?.helpSession.id).toBe(first.session.id);
    await second.client.customerStateWhere((s) => position(s) === 1, 1000);
    expect(Date.now() - claimedAt).toBeLessThan(1000);
    await first.client.customerStateWhere((s) => s.state === 'reserved');
  });

  it('should drop a customer whose socket closes for good within the grace period + 2 s', async () => {
    const leaving = await waitingCustomer('Leaving');
    const staying = await waitingCustomer('Staying');
    leaving.client.close();
    const closedAt = Date.now();
    await staying.client.customerStateWhere((s) => position(s) === 1, GRACE_MS + SLACK_MS);
    expect(Date.now() - closedAt).toBeLessThan(GRACE_MS + SLACK_MS);
    const { token } = await rep();
    expect((await claimNext(repBase(), token)).body?.helpSession.id).toBe(staying.session.id);
    expect((await claimNext(repBase(), token)).status).toBe(204);
  });

  it('should keep the place of a customer who reloads within the grace period', async () => {
    const reloading = await waitingCustomer('Reloading');
    const leaving = await waitingCustomer('Leaving');
    const behind = await waitingCustomer('Behind');
    reloading.client.close();
    leaving.client.close();
    const again = connect(customerBase(), reloading.session.customerToken);
    await again.ready();
    expect(position(await again.customerStateWhere((s) => s.state === 'waiting'))).toBe(1);
    // The one who left at the same moment is dropped once the grace period is over; the reload is not.
    await behind.client.customerStateWhere((s) => position(s) === 2, GRACE_MS + SLACK_MS);
    const { token } = await rep();
    expect((await claimNext(repBase(), token)).body?.helpSession.id).toBe(reloading.session.id);
    expect((await claimNext(repBase(), token)).body?.helpSession.id).toBe(behind.session.id);
  });

  it('should confirm a match when both sides report media, and not touch it afterwards', async () => {
    const customer = await waitingCustomer();
    const { token, client: repClient } = await rep();
    const claimed = (await claimNext(repBase(), token)).body;
    const reserved = await customer.client.customerStateWhere((s) => s.state === 'reserved');
    expect(reserved).toMatchObject({ state: 'reserved', repName: 'Grace', matchId: claimed?.matchId, video: { provider: 'p2p' } });
    await expect(customer.client.mediaConnected(claimed?.matchId ?? '')).resolves.toBe(true);
    await expect(repClient.mediaConnected(claimed?.matchId ?? '')).resolves.toBe(true);
    await customer.client.customerStateWhere((s) => s.state === 'in-call');
    await repClient.repStateWhere((s) => s.state === 'in-call');
    // A second match made now, whose customer never shows, marks the end of the first one's no-show window:
    // the confirmed call is untouched by its earlier timer.
    const late = await waitingCustomer('Late');
    const { token: secondRep, client: secondRepClient } = await rep('Second');
    expect((await claimNext(repBase(), secondRep)).body?.helpSession.id).toBe(late.session.id);
    await secondRepClient.repStateWhere((s) => s.state === 'no-show', NO_SHOW_MS + SLACK_MS);
    expect(customer.client.customerState?.state).toBe('in-call');
    expect(repClient.repState?.state).toBe('in-call');
  });

  it('should put a no-show customer back at the front and tell the rep', async () => {
    const noShow = await waitingCustomer('No show');
    const next = await waitingCustomer('Next');
    const { token, client: repClient } = await rep();
    expect((await claimNext(repBase(), token)).body?.helpSession.id).toBe(noShow.session.id);
    await repClient.repStateWhere((s) => s.state === 'no-show' && s.helpSessionId === noShow.session.id, NO_SHOW_MS + SLACK_MS);
    expect(position(await noShow.client.customerStateWhere((s) => s.state === 'waiting'))).toBe(1);
    expect(position(await next.client.customerStateWhere((s) => position(s) === 2))).toBe(2);
    const again = (await signIn(repBase(), 'Second rep')).body.token;
    expect((await claimNext(repBase(), again)).body?.helpSession.id).toBe(noShow.session.id);
    expect((await endSession(repBase(), noShow.session.id, again)).status).toBe(204);
    await noShow.client.customerStateWhere((s) => s.state === 'ended' && s.reason === 'rep-ended');
  });

  it('should put the customer back at the front when the rep disconnects before confirming', async () => {
    const customer = await waitingCustomer('Customer');
    const other = await waitingCustomer('Other');
    const { token, client: repClient } = await rep();
    const claimed = (await claimNext(repBase(), token)).body;
    await customer.client.customerStateWhere((s) => s.state === 'reserved');
    // The customer is ready; the rep's tab closes before its media is up.
    await customer.client.mediaConnected(claimed?.matchId ?? '');
    repClient.close();
    expect(position(await customer.client.customerStateWhere((s) => s.state === 'waiting', GRACE_MS + SLACK_MS))).toBe(1);
    expect(position(await other.client.customerStateWhere((s) => position(s) === 2))).toBe(2);
  });

  it('should tell the rep at once when the customer is away from a call, and end it after the rejoin window', async () => {
    const customer = await waitingCustomer();
    const { token, client: repClient } = await rep();
    const claimed = (await claimNext(repBase(), token)).body;
    await customer.client.mediaConnected(claimed?.matchId ?? '');
    await repClient.mediaConnected(claimed?.matchId ?? '');
    await repClient.repStateWhere((s) => s.state === 'in-call');
    customer.client.close();
    await repClient.repStateWhere((s) => s.state === 'in-call' && s.partnerAway === true, 1000);
    await repClient.repStateWhere((s) => s.state === 'ended' && s.reason === 'rejoin-timeout', REJOIN_MS + SLACK_MS);
  });

  it('should relay call signals between the two parties of a match only', async () => {
    const customer = await waitingCustomer('Caller');
    const bystander = await waitingCustomer('Bystander');
    const { token, client: repClient } = await rep();
    const { client: otherRep } = await rep('Other rep');
    const received: Record<'customer' | 'rep' | 'bystander' | 'otherRep', SignalMessage[]> = {
      customer: [],
      rep: [],
      bystander: [],
      otherRep: [],
    };
    customer.client.on('signal', (m) => received.customer.push(m));
    repClient.on('signal', (m) => received.rep.push(m));
    bystander.client.on('signal', (m) => received.bystander.push(m));
    otherRep.on('signal', (m) => received.otherRep.push(m));

    // Before any match, nobody can signal anybody.
    await expect(customer.client.signal({ kind: 'offer', sdp: 'v=0' })).resolves.toEqual({ ok: false, error: 'You are not in a call.' });
    await claimNext(repBase(), token);
    await customer.client.customerStateWhere((s) => s.state === 'reserved');

    await expect(repClient.signal({ kind: 'offer', sdp: 'v=0 offer' })).resolves.toEqual({ ok: true });
    await expect(customer.client.signal({ kind: 'answer', sdp: 'v=0 answer' })).resolves.toEqual({ ok: true });
    await customer.client.signal({
      kind: 'ice',
      candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 },
    });
    await waitFor(() => received.customer.length === 1 && received.rep.length === 2, { message: 'the signals to arrive' });
    expect(received.customer).toEqual([{ kind: 'offer', sdp: 'v=0 offer' }]);
    expect(received.rep.map((m) => m.kind)).toEqual(['answer', 'ice']);

    // Invalid or oversized signals are refused; outsiders are not in a call.
    await expect(customer.client.signal({ kind: 'offer', sdp: 'x'.repeat(20_000) })).resolves.toMatchObject({ ok: false });
    await expect(customer.client.signal({ kind: 'bogus' } as unknown as SignalMessage)).resolves.toMatchObject({ ok: false });
    await expect(bystander.client.signal({ kind: 'offer', sdp: 'v=0' })).resolves.toMatchObject({ ok: false });
    await expect(otherRep.signal({ kind: 'offer', sdp: 'v=0' })).resolves.toMatchObject({ ok: false });
    expect(received.bystander).toEqual([]);
    expect(received.otherRep).toEqual([]);
  });
});
