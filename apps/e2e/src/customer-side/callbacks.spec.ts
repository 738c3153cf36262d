import type { ApiError, CallbackFigures, CallbackListResponse, CallbackRequestCreated, ClaimedCallback } from '@servicekit/contracts';
import { chooseSeed, MemcachedServer, seededRandom, startMemcached, waitFor } from '@servicekit/tools/testing';
import {
  call,
  createHelpSession,
  enqueue,
  SHARED_SECRETS,
  signIn,
  TEST_OPS_TOKEN,
  ApiServer,
  startApiServer,
} from '@servicekit/tools/e2e-support';

const SEED = chooseSeed(__filename);
const REQUESTS = 12;
const REPS = 10;

const leave = (base: string, body: Record<string, unknown>, token?: string) =>
  call<CallbackRequestCreated & ApiError>(base, 'POST', '/callbacks', { body, ...(token ? { token } : {}) });

describe.each([
  ['memcached shared by two API instances', 2],
  ['the in-memory store of one API instance', 1],
])(`callback requests over HTTP (seed ${SEED}): %s`, (_, instances) => {
  let memcached: MemcachedServer | undefined;
  const servers: ApiServer[] = [];
  const base = (i: number) => servers[i % servers.length]?.url ?? '';

  beforeAll(async () => {
    memcached = instances > 1 ? await startMemcached() : undefined;
    const env = {
      ...SHARED_SECRETS,
      SIGN_IN_RATE_LIMIT: '0',
      HELP_SESSION_RATE_LIMIT: '0',
      ...(memcached ? { MEMCACHED_SERVERS: memcached.address } : {}),
    };
    servers.push(...(await Promise.all(Array.from({ length: instances }, () => startApiServer(env)))));
  });

  afterAll(async () => {
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    await memcached?.stop();
  });

  it('should answer bad requests with a sentence per field', async () => {
    const missing = await leave(base(0), { customerName: ' ', problemText: 'x' });
    expect(missing.body).toMatchObject({
      statusCode: 400,
      code: 'validation_failed',
      details: { customerName: 'Your name is required.', phone: expect.stringMatching(/phone number or an email address/) },
    });
    const bad = await leave(base(0), { customerName: 'Ada', problemText: 'x', phone: 'call me', email: 'ada@' });
    expect(bad.body.details).toEqual({
      phone: expect.stringMatching(/^The phone number must be digits/),
      email: 'The email address must look like name@example.com.',
    });
    expect((await leave(base(0), { customerName: 'Ada', problemText: 'x', email: 'a@b.co', extra: 1 })).body.details).toEqual({
      extra: expect.stringMatching(/does not accept the field "extra"/),
    });
  });

  it('should show open requests to reps only, oldest first, and the contact data only to the rep who claims', async () => {
    expect((await call(base(0), 'GET', '/callbacks')).status).toBe(401);
    const first = (await leave(base(0), { customerName: 'First', problemText: 'One', phone: '+49 30 1111111' })).body;
    const second = (await leave(base(1), { customerName: 'Second', problemText: 'Two', email: 'second@example.com' })).body;
    const rep = (await signIn(base(1), 'Lister')).body.token;
    const listed = (await call<CallbackListResponse>(base(1), 'GET', '/callbacks', { token: rep })).body;
    const ids = listed.open.map((c) => c.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    expect(JSON.stringify(listed)).not.toContain('1111111');
    const claimed = await call<ClaimedCallback>(base(0), 'POST', `/callbacks/${first.id}/claim`, { token: rep });
    expect(claimed.body).toMatchObject({ customerName: 'First', phone: '+49 30 1111111' });
    for (const id of [first.id, second.id]) {
      await call(base(0), 'POST', `/callbacks/${id}/claim`, { token: rep });
      expect((await call(base(1), 'POST', `/callbacks/${id}/outcome`, { token: rep, body: { outcome: 'done' } })).status).toBe(204);
    }
    expect((await call<ApiError>(base(0), 'POST', `/callbacks/${first.id}/claim`, { token: rep })).body.code).toBe('not_found');
    const bad = await call<ApiError>(base(0), 'POST', `/callbacks/${first.id}/outcome`, { token: rep, body: { outcome: 'maybe' } });
    expect(bad.body.details).toEqual({ outcome: 'The outcome must be "done" or "not_reached".' });
  });

  it('should give each request to exactly one of many reps racing for it', async () => {
    const random = seededRandom(SEED + instances);
    const requests = await Promise.all(
      Array.from(
        { length: REQUESTS },
        async (_, i) =>
          (await leave(base(i), { customerName: `Race ${i}`, problemText: 'Call me', phone: `+49 30 ${1000000 + i}` })).body.id,
      ),
    );
    const reps = await Promise.all(Array.from({ length: REPS }, async (_, i) => (await signIn(base(i), `Racer ${i}`)).body.token));
    // Every rep tries every request, in its own seeded order, through both instances at once.
    const attempts = reps.flatMap((token, r) => {
      const order = [...requests];
      for (let i = order.length - 1; i > 0; i--) {
        const j = random.integer(0, i);
        [order[i], order[j]] = [order[j] ?? '', order[i] ?? ''];
      }
      return order.map((id, k) => ({ token, r, id, instance: random.integer(0, 1) + k }));
    });
    const results = await Promise.all(
      attempts.map(async (a) => ({
        ...a,
        reply: await call<ClaimedCallback & ApiError>(base(a.instance), 'POST', `/callbacks/${a.id}/claim`, { token: a.token }),
      })),
    );
    const winners = new Map<string, Set<number>>();
    for (const { id, r, reply } of results) {
      if (reply.status === 200) winners.set(id, (winners.get(id) ?? new Set()).add(r));
      else expect([reply.status, reply.body.code]).toEqual([409, 'already_taken']);
    }
    process.stdout.write(
      `callback race (seed ${SEED}, ${instances} instance(s)): ${results.length} claims of ${REQUESTS} requests by ${REPS} reps, ` +
        `${[...winners.values()].filter((w) => w.size === 1).length} with exactly one winner\n`,
    );
    expect(requests.map((id) => winners.get(id)?.size)).toEqual(Array(REQUESTS).fill(1));

    const figures = (await call<CallbackFigures>(base(0), 'GET', '/ops/callbacks', { token: TEST_OPS_TOKEN })).body;
    expect(figures).toMatchObject({ open: 0, claimed: REQUESTS });
    const metrics = await (await fetch(`${base(1)}/api/metrics`, { headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` } })).text();
    expect(metrics).toContain(`servicekit_callbacks{state="claimed"} ${REQUESTS}`);
  });

  it('should let a waiting customer leave a callback instead, with their customer token', async () => {
    const session = (await createHelpSession(base(0))).body;
    expect((await enqueue(base(0), session)).status).toBe(201);
    const body = { customerName: 'Ada', problemText: 'Router blinks', email: 'ada@example.com', helpSessionId: session.id };
    expect((await leave(base(1), body)).body).toMatchObject({ statusCode: 401, code: 'unauthorized' });
    const created = await leave(base(1), body, session.customerToken);
    expect(created.status).toBe(201);
    expect(Date.parse(created.body.deleteBy) - Date.parse(created.body.requestedAt)).toBe(72 * 3600_000);
    await waitFor(async () => (await enqueue(base(0), session)).status === 409, { message: 'the help session to have ended' });
  });
});

describe('callback requests are rate-limited like asking for help', () => {
  it('should answer 429 past HELP_SESSION_RATE_LIMIT per minute', async () => {
    const server = await startApiServer({ ...SHARED_SECRETS, HELP_SESSION_RATE_LIMIT: '2' });
    try {
      const body = { customerName: 'Ada', problemText: 'x', email: 'ada@example.com' };
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await leave(server.url, body)).status);
      expect(statuses).toEqual([201, 201, 429]);
    } finally {
      await server.stop();
    }
  });
});
