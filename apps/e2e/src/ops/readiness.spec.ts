import { MemcachedServer, startMemcached, startUnresponsiveServer, UnresponsiveServer, waitFor } from '@servicekit/tools/testing';
import { call, SHARED_SECRETS, TEST_OPS_TOKEN, ApiServer, startApiServer } from '@servicekit/tools/e2e-support';

const STORE_TIMEOUT_MS = 500;

interface Readiness {
  status: 'ok' | 'error';
  details: Record<string, { status: 'up' | 'down'; message?: string; latencyMs?: number }>;
}

/** Readiness as an operator sees it: with the checks. */
const ready = (base: string) => call<Readiness>(base, 'GET', '/health/ready', { token: TEST_OPS_TOKEN });
/** Readiness as the public (a load balancer) sees it: the status only. */
const publicReady = (base: string, token?: string) => call<Readiness>(base, 'GET', '/health/ready', { token });

describe('readiness against memcached', () => {
  let memcached: MemcachedServer;
  let server: ApiServer;

  beforeAll(async () => {
    memcached = await startMemcached();
    server = await startApiServer({
      ...SHARED_SECRETS,
      MEMCACHED_SERVERS: memcached.address,
      MEMCACHED_TIMEOUT_MS: String(STORE_TIMEOUT_MS),
    });
  });

  afterAll(async () => {
    await server?.stop();
    await memcached?.stop();
  });

  it('should turn 503 naming the store within the store timeout when memcached stops, and 200 when it is back', async () => {
    const before = await ready(server.url);
    expect(before.status).toBe(200);
    expect((await publicReady(server.url)).body).toEqual({ status: 'ok' });
    expect(before.body.details['store']).toMatchObject({ status: 'up', latencyMs: expect.any(Number) });

    await memcached.stop();
    const started = Date.now();
    const down = await ready(server.url);
    expect(Date.now() - started).toBeLessThan(STORE_TIMEOUT_MS + 1_000);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('error');
    expect(down.body.details['store']).toMatchObject({ status: 'down', message: expect.any(String) });
    expect(down.body.details['video']).toMatchObject({ status: 'up' });
    // The public learns that it is not ready, not why: no store address, no errno.
    for (const token of [undefined, 'not-the-ops-token', 'x'.repeat(300)]) {
      const reply = await publicReady(server.url, token);
      expect({ status: reply.status, body: reply.body }).toEqual({ status: 503, body: { status: 'error' } });
    }
    // Liveness checks nothing else on purpose: the process still serves.
    expect((await call(server.url, 'GET', '/health')).body).toEqual({ status: 'ok' });

    await memcached.restart();
    await waitFor(async () => (await ready(server.url)).status === 200, { timeoutMs: 10_000, message: 'readiness to come back' });
  });
});

describe('readiness against a memcached that hangs', () => {
  let hung: UnresponsiveServer;
  let server: ApiServer;

  beforeAll(async () => {
    hung = await startUnresponsiveServer();
    server = await startApiServer({ ...SHARED_SECRETS, MEMCACHED_SERVERS: hung.address, MEMCACHED_TIMEOUT_MS: String(STORE_TIMEOUT_MS) });
  });

  afterAll(async () => {
    await server?.stop();
    await hung?.close();
  });

  it('should answer 503 within the store timeout instead of hanging', async () => {
    const started = Date.now();
    const reply = await ready(server.url);
    expect(Date.now() - started).toBeLessThan(STORE_TIMEOUT_MS + 1_000);
    expect(reply.status).toBe(503);
    expect(reply.body.details['store']).toMatchObject({ status: 'down', message: expect.stringMatching(/did not answer/) });
    const anonymous = await publicReady(server.url);
    expect({ status: anonymous.status, body: anonymous.body }).toEqual({ status: 503, body: { status: 'error' } });
  });
});
