import type { ApiError } from '@servicekit/contracts';
import { MemcachedServer, startMemcached, waitFor } from '@servicekit/tools/testing';
import { call, createHelpSession, enqueue, SHARED_SECRETS, signIn, ApiServer, startApiServer } from '@servicekit/tools/e2e-support';

describe('rate limits', () => {
  let server: ApiServer;

  beforeAll(async () => {
    server = await startApiServer({ ...SHARED_SECRETS, HELP_SESSION_RATE_LIMIT: '3', SIGN_IN_RATE_LIMIT: '2' });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('should answer 429 to the fourth help session from one address within a minute', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await createHelpSession(server.url)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const reply = await call<ApiError>(server.url, 'POST', '/help-sessions', { body: { customerName: 'A', problemText: 'B' } });
    expect(reply.body).toMatchObject({ statusCode: 429, code: 'rate_limited', message: expect.stringMatching(/wait a minute/) });
  });

  it('should answer 429 to repeated sign-ins, wrong passcodes included, independently of help sessions', async () => {
    const statuses = [
      (await signIn(server.url, 'A', 'wrong-one')).status,
      (await signIn(server.url)).status,
      (await signIn(server.url)).status,
    ];
    expect(statuses).toEqual([401, 201, 429]);
  });
});

describe('when memcached goes away', () => {
  let memcached: MemcachedServer;
  let server: ApiServer;

  beforeAll(async () => {
    memcached = await startMemcached();
    server = await startApiServer({ ...SHARED_SECRETS, MEMCACHED_SERVERS: memcached.address, MEMCACHED_TIMEOUT_MS: '500' });
  });

  afterAll(async () => {
    await server?.stop();
    await memcached?.stop();
  });

  it('should answer 503 with a message within the store timeout, keep serving, and recover', async () => {
    const session = (await createHelpSession(server.url)).body;
    await memcached.stop();
    const started = Date.now();
    const reply = await enqueue(server.url, session);
    expect(reply.status).toBe(503);
    expect((reply.body as unknown as ApiError).message).toMatch(/cannot reach its data store/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await call(server.url, 'GET', '/health')).status).toBe(200);
    expect((await call(server.url, 'GET', '/health/ready')).status).toBe(503);

    await memcached.restart();
    await waitFor(async () => (await call(server.url, 'GET', '/health/ready')).status === 200, {
      timeoutMs: 10_000,
      message: 'readiness to come back',
    });
    // The restarted memcached is empty: the session is gone, which the API says in words.
    expect((await enqueue(server.url, session)).status).toBe(404);
    expect((await createHelpSession(server.url)).status).toBe(201);
  });
});
