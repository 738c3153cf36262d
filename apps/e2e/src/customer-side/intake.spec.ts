import { PresenceClient } from '@servicekit/client/presence';
import type { ApiError, CallbackRequestCreated, IntakeStateResponse, ServiceStatusResponse } from '@servicekit/contracts';
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

const LIMITS_OFF = { HELP_SESSION_RATE_LIMIT: '0', SIGN_IN_RATE_LIMIT: '0' };
const status = async (base: string) => (await call<ServiceStatusResponse>(base, 'GET', '/status')).body;
const refusal = (code: string) => ({ statusCode: 409, code, message: expect.stringMatching(/callback request.*\.$/) });

describe('opening hours, over HTTP', () => {
  let server: ApiServer;
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString();

  beforeAll(async () => {
    // Open around the clock in UTC, except today: closed now, opening at the next UTC midnight.
    server = await startApiServer({ ...SHARED_SECRETS, ...LIMITS_OFF, OPENING_HOURS: 'Mon-Sun 00:00-24:00; UTC', CLOSED_DATES: today });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('should say closed with the next opening before anything is typed', async () => {
    await expect(status(server.url)).resolves.toMatchObject({ availability: 'closed', opensAt: tomorrow, callbacks: true });
  });

  it('should refuse a new queue place with 409 closed and a sentence, and still take a callback request', async () => {
    const session = (await createHelpSession(server.url)).body;
    const reply = await enqueue(server.url, session);
    expect(reply.body).toMatchObject(refusal('closed'));
    // The next UTC midnight, in words and in the opening hours' zone.
    const opening = new Date(tomorrow);
    const inWords = `${opening.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' })} at 00:00 (UTC time)`;
    expect((reply.body as unknown as ApiError).message).toContain(`open again on ${inWords}`);
    const callback = await call<CallbackRequestCreated>(server.url, 'POST', '/callbacks', {
      body: { customerName: 'Ada', problemText: 'Router blinks', email: 'ada@example.com' },
    });
    expect(callback.status).toBe(201);
  });

  it('should refuse to start with opening hours it cannot read, naming the variable', async () => {
    await expect(startApiServer({ OPENING_HOURS: 'Mon-Fri 9-17; Europe/Berlin' })).rejects.toThrow(
      /OPENING_HOURS has the rule "Mon-Fri 9-17"/,
    );
  });
});

describe('paused intake across two instances on one memcached', () => {
  let memcached: MemcachedServer;
  let one: ApiServer;
  let two: ApiServer;
  const clients: PresenceClient[] = [];

  beforeAll(async () => {
    memcached = await startMemcached();
    const env = { ...SHARED_SECRETS, ...LIMITS_OFF, MEMCACHED_SERVERS: memcached.address, NO_SHOW_MS: '60000' };
    [one, two] = await Promise.all([startApiServer(env), startApiServer(env)]);
  });

  afterAll(async () => {
    clients.splice(0).forEach((client) => client.close());
    await Promise.all([one?.stop(), two?.stop()]);
    await memcached?.stop();
  });

  const ops = (base: string, path: string, body?: unknown) =>
    call<IntakeStateResponse>(base, body === undefined ? 'GET' : 'POST', `/ops/intake${path}`, { token: TEST_OPS_TOKEN, body });

  it('should keep the waiting customer and serve them while new arrivals are refused with intake_paused', async () => {
    const waiting = (await createHelpSession(one.url, 'Kept Waiting', 'Still here')).body;
    const socket = new PresenceClient({ url: one.url, token: waiting.customerToken });
    clients.push(socket);
    await socket.ready();
    expect((await enqueue(one.url, waiting)).status).toBe(201);

    expect((await call(one.url, 'POST', '/ops/intake/pause', { body: { minutes: 10 } })).status).toBe(401);
    const paused = await ops(one.url, '/pause', { minutes: 10 });
    expect(paused.body).toMatchObject({ paused: true, withinOpeningHours: true });
    expect(Date.parse(paused.body.pausedUntil ?? '') - Date.now()).toBeGreaterThan(9 * 60_000);

    // The other instance agrees at once: the pause is in the store.
    await expect(status(two.url)).resolves.toMatchObject({ availability: 'intake_paused' });
    const late = (await createHelpSession(two.url)).body;
    expect((await enqueue(two.url, late)).body).toMatchObject(refusal('intake_paused'));
    // A retry of the customer already waiting is not a new arrival.
    expect((await enqueue(two.url, waiting)).body).toMatchObject({ position: 1 });

    const rep = (await signIn(two.url)).body.token;
    const claimed = await claimNext(two.url, rep);
    expect(claimed.body?.helpSession.id).toBe(waiting.id);

    expect((await ops(two.url, '/resume', {})).body).toMatchObject({ paused: false, pausedUntil: null });
    expect((await enqueue(one.url, late)).status).toBe(201);
  });

  it('should answer a pause longer than 12 hours with a sentence', async () => {
    const reply = await call<ApiError>(one.url, 'POST', '/ops/intake/pause', { token: TEST_OPS_TOKEN, body: { minutes: 100_000 } });
    expect(reply.body).toMatchObject({
      statusCode: 400,
      code: 'validation_failed',
      details: { minutes: expect.stringMatching(/1 to 720/) },
    });
  });
});

describe('capacity and honest estimates, over HTTP', () => {
  const clients: PresenceClient[] = [];
  afterEach(() => clients.splice(0).forEach((client) => client.close()));

  async function repOnline(base: string): Promise<string> {
    const token = (await signIn(base)).body.token;
    const client = new PresenceClient({ url: base, token });
    clients.push(client);
    await client.ready();
    return token;
  }

  it('should give no estimate when no rep is online, and 0 when a rep is free', async () => {
    const server = await startApiServer({ ...SHARED_SECRETS, ...LIMITS_OFF });
    try {
      await expect(status(server.url)).resolves.toMatchObject({
        availability: 'no_rep_online',
        estimatedWaitMs: null,
        estimateReason: 'no_rep_online',
      });
      const session = (await createHelpSession(server.url)).body;
      expect((await enqueue(server.url, session)).body).toEqual({ position: 1, estimatedWaitMs: null, estimateReason: 'no_rep_online' });
      await repOnline(server.url);
      // The figures of reps online are published every few seconds.
      await waitFor(async () => (await status(server.url)).repsOnline === 1, { message: 'the rep to count as online' });
      expect((await enqueue(server.url, session)).body).toEqual({ position: 1, estimatedWaitMs: 0 });
    } finally {
      await server.stop();
    }
  });

  it('should turn new arrivals away with queue_full beyond MAX_QUEUE_LENGTH', async () => {
    const server = await startApiServer({ ...SHARED_SECRETS, ...LIMITS_OFF, MAX_QUEUE_LENGTH: '1' });
    try {
      const first = (await createHelpSession(server.url)).body;
      expect((await enqueue(server.url, first)).status).toBe(201);
      await expect(status(server.url)).resolves.toMatchObject({ availability: 'busy', waiting: 1 });
      const second = (await createHelpSession(server.url)).body;
      expect((await enqueue(server.url, second)).body).toMatchObject(refusal('queue_full'));
    } finally {
      await server.stop();
    }
  });

  it('should turn new arrivals away with wait_too_long when the only rep is busy', async () => {
    const server = await startApiServer({ ...SHARED_SECRETS, ...LIMITS_OFF, MAX_ESTIMATED_WAIT_MS: '1000', NO_SHOW_MS: '60000' });
    try {
      const rep = await repOnline(server.url);
      await waitFor(async () => (await status(server.url)).availability === 'open', { message: 'the rep to count as online' });
      const first = (await createHelpSession(server.url)).body;
      expect((await enqueue(server.url, first)).body).toEqual({ position: 1, estimatedWaitMs: 0 });
      expect((await claimNext(server.url, rep)).status).toBe(200);
      await waitFor(async () => (await status(server.url)).availability === 'busy', { message: 'the rep to count as busy' });
      const second = (await createHelpSession(server.url)).body;
      expect((await enqueue(server.url, second)).body).toMatchObject(refusal('wait_too_long'));
    } finally {
      await server.stop();
    }
  });
});

describe('branding, over HTTP', () => {
  it('should show the configured brand in /api/brand and /api/status, "Service Kit" by default', async () => {
    const plain = await startApiServer({ ...SHARED_SECRETS });
    const branded = await startApiServer({
      ...SHARED_SECRETS,
      BRAND_NAME: 'Acme Support',
      BRAND_COLOR: '#0B5FFF',
      BRAND_LOGO_URL: '/assets/acme.svg',
    });
    try {
      expect((await call(plain.url, 'GET', '/brand')).body).toEqual({ name: 'Service Kit', color: null, logoUrl: null });
      const brand = { name: 'Acme Support', color: '#0b5fff', logoUrl: '/assets/acme.svg' };
      expect((await call(branded.url, 'GET', '/brand')).body).toEqual(brand);
      await expect(status(branded.url)).resolves.toMatchObject({ brand });
    } finally {
      await Promise.all([plain.stop(), branded.stop()]);
    }
  });

  it('should refuse to start with a logo that is neither same-origin nor https, naming the variable', async () => {
    await expect(startApiServer({ BRAND_LOGO_URL: 'http://example.com/logo.png' })).rejects.toThrow(
      /BRAND_LOGO_URL must be a path on this site/,
    );
  });
});
