import { PresenceClient } from '@servicekit/client/presence';
import type { ApiError, CreateHelpSessionResponse, OpsQueueResponse } from '@servicekit/contracts';
import { MemcachedServer, startMemcached, startTcpProxy, TcpProxy, waitFor } from '@servicekit/tools/testing';
import {
  call,
  claimNext,
  createHelpSession,
  endSession,
  enqueue,
  SHARED_SECRETS,
  signIn,
  TEST_OPS_TOKEN,
  ApiServer,
  startApiServer,
} from '@servicekit/tools/e2e-support';

const STORE_TIMEOUT_MS = 500;
/** Room for the event loop and the proxy on a busy machine: the store timeout is the bound, this is slack. */
const MARGIN_MS = 1_500;
const UNAVAILABLE = 'The service cannot reach its data store right now. Please try again in a moment.';

/** Fault timings, printed once at the end of the file. */
const timings: string[] = [];

afterAll(() => {
  if (timings.length > 0) console.log(['fault timings:', ...timings.map((line) => `  ${line}`)].join('\n'));
});

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
}

/** Create, enqueue, ready and end on one instance: true only when every step answers as when healthy. */
async function journeySucceeds(url: string): Promise<boolean> {
  const created = await createHelpSession(url, 'Recovered Rita', 'After the outage');
  if (created.status !== 201) return false;
  const session = created.body;
  if ((await enqueue(url, session)).status !== 201) return false;
  if ((await call(url, 'GET', '/health/ready')).status !== 200) return false;
  return (await endSession(url, session.id, session.customerToken)).status === 204;
}

describe('a slow and a blackholed memcached under two instances', () => {
  let memcached: MemcachedServer;
  let proxy: TcpProxy;
  let instances: ApiServer[];

  beforeAll(async () => {
    memcached = await startMemcached();
    proxy = await startTcpProxy({ target: memcached.port });
    const env = {
      ...SHARED_SECRETS,
      MEMCACHED_SERVERS: proxy.address,
      MEMCACHED_TIMEOUT_MS: String(STORE_TIMEOUT_MS),
      HELP_SESSION_RATE_LIMIT: '0',
      SIGN_IN_RATE_LIMIT: '0',
    };
    instances = await Promise.all([startApiServer(env), startApiServer(env)]);
  });

  afterAll(async () => {
    await Promise.all((instances ?? []).map((instance) => instance.stop()));
    await proxy?.close();
    await memcached?.stop();
  });

  it.each([
    ['slow', 'delay' as const],
    ['blackholed', 'blackhole' as const],
  ])(
    'should answer 503 with the contract’s sentence within the store timeout when memcached is %s, and recover without a restart',
    async (label, mode) => {
      for (const instance of instances) expect((await createHelpSession(instance.url)).status).toBe(201);
      const pids = instances.map((instance) => instance.process.pid);

      proxy.setMode(mode, 4 * STORE_TIMEOUT_MS);
      for (const [index, instance] of instances.entries()) {
        const { result: reply, ms } = await timed(() =>
          call<ApiError>(instance.url, 'POST', '/help-sessions', { body: { customerName: 'Ada', problemText: 'Slow store' } }),
        );
        timings.push(`memcached ${label}: 503 from instance ${index + 1} after ${ms} ms (MEMCACHED_TIMEOUT_MS ${STORE_TIMEOUT_MS})`);
        expect(reply.status).toBe(503);
        expect(reply.body).toEqual({ statusCode: 503, error: 'Service Unavailable', code: 'store_unavailable', message: UNAVAILABLE });
        expect(ms).toBeLessThan(STORE_TIMEOUT_MS + MARGIN_MS);
        const ready = await call(instance.url, 'GET', '/health/ready');
        expect({ status: ready.status, body: ready.body }).toEqual({ status: 503, body: { status: 'error' } });
        expect((await call(instance.url, 'GET', '/health')).status).toBe(200);
      }

      proxy.setMode('pass');
      const switched = Date.now();
      // Served again means a whole journey on the same process. A call that memcached never answered during
      // the outage times out up to MEMCACHED_TIMEOUT_MS after the network is back and drops its connection,
      // failing the calls then on it with the same 503 (try again in a moment); a journey retried past that
      // must then succeed on its own.
      await Promise.all(
        instances.map(async (instance, index) => {
          await waitFor(() => journeySucceeds(instance.url), {
            timeoutMs: 15_000,
            intervalMs: 50,
            message: `instance ${index + 1} to serve a whole journey again once memcached answers`,
          });
          timings.push(
            `memcached ${label}: instance ${index + 1} served a whole journey again ${Date.now() - switched} ms after the network came back`,
          );
        }),
      );
      expect(instances.map((instance) => instance.process.pid)).toEqual(pids);
    },
    60_000,
  );
});

describe('SIGKILL of the instance that holds the waiting customers’ sockets', () => {
  let memcached: MemcachedServer;
  let a: ApiServer;
  let b: ApiServer;
  /** The customers' load balancer: in front of A, and moved to B once A is gone (as after a failed health check). */
  let balancer: TcpProxy;
  const clients: PresenceClient[] = [];

  beforeAll(async () => {
    memcached = await startMemcached();
    const env = {
      ...SHARED_SECRETS,
      MEMCACHED_SERVERS: memcached.address,
      // Long enough that moving to the other instance is not taken for leaving.
      PRESENCE_GRACE_MS: '15000',
      HELP_SESSION_RATE_LIMIT: '0',
      SIGN_IN_RATE_LIMIT: '0',
    };
    [a, b] = await Promise.all([startApiServer(env), startApiServer(env)]);
    balancer = await startTcpProxy({ target: a.port });
  });

  afterAll(async () => {
    clients.forEach((client) => client.close());
    await Promise.all([a?.stop(), b?.stop()]);
    await balancer?.close();
    await memcached?.stop();
  });

  it('should let them reconnect to the other instance by themselves, in their places, and be taken in that order', async () => {
    const names = ['First Fiona', 'Second Sam', 'Third Theo'];
    const customers: { session: CreateHelpSessionResponse; client: PresenceClient }[] = [];
    for (const [index, name] of names.entries()) {
      const session = (await createHelpSession(a.url, name, 'Waiting through a crash')).body;
      const client = new PresenceClient({ url: `http://${balancer.address}`, token: session.customerToken });
      clients.push(client);
      await client.ready();
      expect((await enqueue(a.url, session)).body.position).toBe(index + 1);
      customers.push({ session, client });
    }
    for (const [index, { client }] of customers.entries()) {
      await client.customerStateWhere((state) => state.state === 'waiting' && state.position === index + 1);
    }

    const killed = Date.now();
    a.process.kill('SIGKILL');
    balancer.retarget(b.port);
    await waitFor(() => a.process.signalCode === 'SIGKILL', { message: 'A to die' });
    // socket.io-client reconnects on its own: through the balancer, to B, with the same token.
    await Promise.all(
      customers.map(async ({ client }, index) => {
        await waitFor(() => client.connected && client.socket.io.engine?.transport?.name === 'websocket', {
          timeoutMs: 15_000,
          message: `customer ${index + 1} to reconnect`,
        });
        await client.customerStateWhere((state) => state.state === 'waiting' && state.position === index + 1, 15_000);
      }),
    );
    timings.push(
      `SIGKILL of the customers' instance: all 3 back in their places on the other instance ${Date.now() - killed} ms after the kill`,
    );

    const queue = await call<OpsQueueResponse>(b.url, 'GET', '/ops/queue', { token: TEST_OPS_TOKEN });
    expect(queue.body.waiting.map((entry) => entry.helpSessionId)).toEqual(customers.map(({ session }) => session.id));
    const rep = (await signIn(b.url, 'Survivor Rep')).body.token;
    for (const { session } of customers) {
      const claimed = await claimNext(b.url, rep);
      expect(claimed.body?.helpSession.id).toBe(session.id);
      expect((await endSession(b.url, session.id, rep)).status).toBe(204);
    }
  }, 60_000);
});
