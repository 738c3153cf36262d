import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { PresenceClient } from '@servicekit/client/presence';
import type { ApiError, OpsRepsResponse, RepSessionEnd, RepSessionResponse } from '@servicekit/contracts';
import { MemcachedServer, startMemcached, waitFor } from '@servicekit/tools/testing';
import { Browser } from 'playwright-core';
import { sessionCookie } from './identity-support';
import {
  call,
  claimNext,
  SHARED_SECRETS,
  signIn,
  TEST_OPS_TOKEN,
  TEST_PASSCODE,
  TEST_SUPERVISOR_PASSCODE,
  ApiServer,
  startApiServer,
  launchChromium,
} from '@servicekit/tools/e2e-support';

/** A rep socket that remembers whether the server said the session ended, and whether it was closed. */
function watchedRepSocket(base: string, token: string) {
  const client = new PresenceClient({ url: base, token });
  const seen: { signedOut: RepSessionEnd | null; disconnected: string | null } = { signedOut: null, disconnected: null };
  client.on('rep:signed-out', ({ reason }) => (seen.signedOut = reason));
  client.socket.on('disconnect', (why) => (seen.disconnected = why));
  return { client, seen };
}

describe('rep sessions with the team passcode', () => {
  let server: ApiServer;

  beforeAll(async () => {
    server = await startApiServer({ ...SHARED_SECRETS, SIGN_IN_RATE_LIMIT: '0' });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('should give the rep passcode the rep role and the supervisor passcode both roles', async () => {
    expect((await signIn(server.url, 'Grace', TEST_PASSCODE)).body).toMatchObject({ roles: ['rep'], via: 'passcode' });
    expect((await signIn(server.url, 'Sue', TEST_SUPERVISOR_PASSCODE)).body).toMatchObject({ roles: ['rep', 'supervisor'] });
    expect((await call(server.url, 'GET', '/reps/sign-in')).body).toEqual({ passcode: true, accounts: false, sso: null });
  });

  it('should end the session on sign-out: the token is refused at once, on HTTP and on the socket', async () => {
    const grace = (await signIn(server.url, 'Grace')).body;
    const { client, seen } = watchedRepSocket(server.url, grace.token);
    try {
      await client.ready();
      expect((await call(server.url, 'DELETE', '/reps/sessions', { token: grace.token })).status).toBe(200);
      const after = await claimNext(server.url, grace.token);
      expect(after.status).toBe(401);
      expect((after.body as unknown as ApiError).message).toBe('You have signed out.');
      await waitFor(() => seen.signedOut === 'signed-out' && seen.disconnected === 'io server disconnect', {
        message: 'the socket to be closed',
      });
      const again = new PresenceClient({ url: server.url, token: grace.token });
      await expect(again.ready()).rejects.toThrow('You have signed out.');
      again.close();
    } finally {
      client.close();
    }
  });

  it('should keep machines on OPS_TOKEN and let them sign a rep out', async () => {
    const grace = (await signIn(server.url, 'Grace')).body;
    const listed = await call<OpsRepsResponse>(server.url, 'GET', '/ops/reps', { token: TEST_OPS_TOKEN });
    expect(listed.body.reps.map((rep) => rep.repId)).toContain(grace.repId);
    expect((await call(server.url, 'DELETE', `/ops/reps/${grace.repId}/session`, { token: TEST_OPS_TOKEN })).status).toBe(204);
    expect((await call<ApiError>(server.url, 'GET', '/reps/sessions/current', { token: grace.token })).body.message).toMatch(
      /A supervisor signed you out/,
    );
    expect((await call(server.url, 'DELETE', `/ops/reps/${grace.repId}/session`, { token: TEST_OPS_TOKEN })).status).toBe(404);
  });
});

describe('CSRF: a cookie-authenticated request from another origin', () => {
  let server: ApiServer;
  let evil: Server;
  let evilOrigin: string;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startApiServer({ ...SHARED_SECRETS, SIGN_IN_RATE_LIMIT: '0' }), launchChromium()]);
    // Another origin on the same host (a different port: the same *site*, so SameSite alone would let it through).
    evil = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(`<!doctype html><title>Win a prize</title>
        <form id="f" method="post" action="${server.url}/api/reps/sessions/current"></form>
        <form id="claim" method="post" action="${server.url}/api/queue/next" enctype="text/plain"><input name='{"waitMs":0,"x":"' value='"}'></form>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => evil?.close(resolve));
    await server?.stop();
  });

  it('should refuse a cross-origin form post that carries the session cookie, with a 403 and a sentence', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // Sign in on the API's own origin: the browser keeps the __Host- cookie (Secure is allowed on 127.0.0.1).
      await page.goto(`${server.url}/rep/`);
      const signedIn = await page.evaluate(async (passcode) => {
        const reply = await fetch('/api/reps/sessions', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Grace', passcode }),
        });
        return reply.status;
      }, TEST_PASSCODE);
      expect(signedIn).toBe(201);
      expect((await context.cookies(server.url)).map((c) => `${c.name} ${c.secure} ${c.httpOnly} ${c.sameSite}`)).toEqual([
        '__Host-sk_rep true true Strict',
      ]);
      // The same-origin page may use the cookie (a POST from this origin carries Origin and passes).
      const own = await page.evaluate(
        async () =>
          (await fetch('/api/queue/next', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status,
      );
      expect(own).toBe(204);

      await page.goto(evilOrigin);
      const [response] = await Promise.all([
        page.waitForResponse(`${server.url}/api/queue/next`),
        page.evaluate(() => (document.getElementById('claim') as HTMLFormElement).submit()),
      ]);
      expect(response.status()).toBe(403);
      expect(response.request().headers()['cookie'] ?? (await response.request().allHeaders())['cookie']).toContain('__Host-sk_rep=');
      const body = (await response.json()) as ApiError;
      expect(body).toMatchObject({ statusCode: 403, code: 'forbidden' });
      expect(body.message).toBe(
        `This request came from another site (${evilOrigin}), so your sign-in was not used for it. Open Service Kit itself and try again there.`,
      );
    } finally {
      await context.close();
    }
  });
});

describe('the idle timeout (REP_IDLE_TIMEOUT_MS)', () => {
  const IDLE_MS = 3000;
  let server: ApiServer;

  beforeAll(async () => {
    server = await startApiServer({ ...SHARED_SECRETS, SIGN_IN_RATE_LIMIT: '0', REP_IDLE_TIMEOUT_MS: String(IDLE_MS) });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('should end a session left alone for the idle time, and keep one that is used', async () => {
    const idle = (await signIn(server.url, 'Idle')).body;
    const busy = (await signIn(server.url, 'Busy')).body;
    const current = (rep: RepSessionResponse) => call<ApiError>(server.url, 'GET', '/reps/sessions/current', { token: rep.token });
    const started = Date.now();
    let busyAlive = true;
    await waitFor(
      async () => {
        busyAlive &&= (await current(busy)).status === 200;
        return Date.now() - started > IDLE_MS + 1500;
      },
      { timeoutMs: IDLE_MS + 5000, intervalMs: 400, message: 'the idle time to pass while the busy rep works' },
    );
    expect(busyAlive).toBe(true);
    const refused = await current(idle);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe('You were signed out after a time without activity. Sign in again to take customers.');
    expect((await current(busy)).status).toBe(200);
  });
});

describe('revocation across two instances sharing memcached', () => {
  let memcached: MemcachedServer;
  let a: ApiServer;
  let b: ApiServer;

  beforeAll(async () => {
    memcached = await startMemcached();
    const env = { ...SHARED_SECRETS, SIGN_IN_RATE_LIMIT: '0', MEMCACHED_SERVERS: memcached.address };
    [a, b] = await Promise.all([startApiServer(env), startApiServer(env)]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await memcached?.stop();
  });

  it('should refuse, within 1 s, on B’s HTTP and socket a rep that a supervisor signed out on A', async () => {
    const grace = (await signIn(a.url, 'Grace')).body;
    const sue = (await signIn(a.url, 'Sue', TEST_SUPERVISOR_PASSCODE)).body;
    const { client, seen } = watchedRepSocket(b.url, grace.token);
    try {
      await client.ready();
      expect((await claimNext(b.url, grace.token)).status).toBe(204);
      // A supervisor on A sees Grace online (her console is on B) and signs her out.
      await waitFor(
        async () =>
          (await call<OpsRepsResponse>(a.url, 'GET', '/ops/reps', { token: sue.token })).body.reps.some(
            (rep) => rep.repId === grace.repId && rep.status === 'available',
          ),
        { message: "Grace's console to show as available on A" },
      );
      const revokedAt = Date.now();
      expect((await call(a.url, 'DELETE', `/ops/reps/${grace.repId}/session`, { token: sue.token })).status).toBe(204);

      const refused = await claimNext(b.url, grace.token);
      expect(refused.status).toBe(401);
      expect((refused.body as unknown as ApiError).message).toBe('A supervisor signed you out. Sign in again to take customers.');
      await waitFor(() => seen.signedOut === 'by-supervisor' && seen.disconnected === 'io server disconnect', {
        timeoutMs: Math.max(1, 1000 - (Date.now() - revokedAt)),
        intervalMs: 10,
        message: "B to close Grace's socket within 1 s of the sign-out on A",
      });
      const elapsed = Date.now() - revokedAt;
      process.stdout.write(`revoked on A -> socket closed on B after ${elapsed} ms\n`);
      const again = new PresenceClient({ url: b.url, token: grace.token });
      await expect(again.ready()).rejects.toThrow('A supervisor signed you out.');
      again.close();
    } finally {
      client.close();
    }
  });

  it('should refuse on A a session whose rep signed out on B', async () => {
    const signedIn = await signIn(b.url, 'Grace');
    const cookie = sessionCookie(signedIn.headers);
    expect((await call(b.url, 'DELETE', '/reps/sessions', { cookie, origin: b.url })).status).toBe(200);
    expect((await call(a.url, 'GET', '/reps/sessions/current', { token: signedIn.body.token })).status).toBe(401);
  });
});
