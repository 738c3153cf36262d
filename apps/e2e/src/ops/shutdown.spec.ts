import { PresenceClient } from '@servicekit/client/presence';
import { MemcachedServer, startMemcached, waitFor } from '@servicekit/tools/testing';
import {
  call,
  claimNext,
  createHelpSession,
  enqueue,
  SHARED_SECRETS,
  signIn,
  TEST_OPS_TOKEN,
  ApiServer,
  startApiServer,
} from '@servicekit/tools/e2e-support';

/** The drain is 10 s at most; with nothing in flight a stop takes well under that. */
const STOP_BOUND_MS = 12_000;

describe('SIGTERM with two instances on one memcached', () => {
  let memcached: MemcachedServer;
  let a: ApiServer;
  let b: ApiServer;
  const clients: PresenceClient[] = [];

  beforeAll(async () => {
    memcached = await startMemcached();
    const env = {
      ...SHARED_SECRETS,
      MEMCACHED_SERVERS: memcached.address,
      // Long enough that the customer's move to the other instance is not mistaken for leaving.
      PRESENCE_GRACE_MS: '20000',
      HELP_SESSION_RATE_LIMIT: '0',
      SIGN_IN_RATE_LIMIT: '0',
      LOG_LEVEL: 'info',
    };
    [a, b] = await Promise.all([startApiServer(env), startApiServer(env)]);
  });

  afterAll(async () => {
    clients.forEach((client) => client.close());
    await Promise.all([a?.stop(), b?.stop()]);
    await memcached?.stop();
  });

  it('should stop A cleanly within the bound while a customer waits, and let a rep on B take that customer', async () => {
    const session = (await createHelpSession(a.url, 'Stella Stays', 'Waiting through a deploy')).body;
    const onA = new PresenceClient({ url: a.url, token: session.customerToken });
    clients.push(onA);
    await onA.ready();
    expect((await enqueue(a.url, session)).status).toBe(201);
    await onA.customerStateWhere((state) => state.state === 'waiting');

    const stopping = Date.now();
    const code = await a.stop();
    expect(code).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(STOP_BOUND_MS);
    expect(a.output()).toMatch(/Stopped cleanly/);
    // A closed the customer's socket rather than leaving it to time out.
    await waitFor(() => !onA.connected, { message: 'the socket on A to close' });

    // Behind a load balancer the customer's reconnection lands on B, with the same token.
    const onB = new PresenceClient({ url: b.url, token: session.customerToken });
    clients.push(onB);
    await onB.ready();
    expect(await onB.customerStateWhere((state) => state.state === 'waiting')).toMatchObject({ position: 1 });

    const queue = await call<{ waiting: { helpSessionId: string }[] }>(b.url, 'GET', '/ops/queue', { token: TEST_OPS_TOKEN });
    expect(queue.body.waiting.map((entry) => entry.helpSessionId)).toEqual([session.id]);

    const rep = (await signIn(b.url)).body.token;
    expect((await claimNext(b.url, rep)).body?.helpSession.id).toBe(session.id);
  });
});
