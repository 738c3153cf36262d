import type { ApiError, OpsRepsResponse, RepStatus, RepStatusResponse } from '@servicekit/contracts';
import { waitFor } from '@servicekit/tools/testing';
import {
  call,
  claimNext,
  createHelpSession,
  drainQueue,
  endSession,
  enqueue,
  SHARED_SECRETS,
  signIn,
  TEST_OPS_TOKEN,
  ApiServer,
  startApiServer,
} from '@servicekit/tools/e2e-support';

const WRAP_UP_MS = 2000;

const statusOf = async (base: string, token: string) => (await call<RepStatusResponse>(base, 'GET', '/reps/me/status', { token })).body;
const setStatus = (base: string, token: string, status: unknown) =>
  call<RepStatusResponse | ApiError>(base, 'PUT', '/reps/me/status', { token, body: { status } });
const opsStatus = async (base: string, repId: string) =>
  (await call<OpsRepsResponse>(base, 'GET', '/ops/reps', { token: TEST_OPS_TOKEN })).body.reps.find((rep) => rep.repId === repId)?.status;
/** `servicekit_reps_by_status{status="…"}` from the metrics, as a number (NaN when absent). */
const gauge = async (base: string, status: RepStatus) => {
  const text = await (await fetch(`${base}/api/metrics`, { headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` } })).text();
  const line = text.split('\n').find((l) => l.startsWith(`servicekit_reps_by_status{status="${status}"} `));
  return line === undefined ? Number.NaN : Number(line.split(' ')[1]);
};
const waitingCustomer = async (base: string) => {
  const session = (await createHelpSession(base)).body;
  expect((await enqueue(base, session)).status).toBe(201);
  return session;
};

describe(`rep status over HTTP (WRAP_UP_MS=${WRAP_UP_MS})`, () => {
  let server: ApiServer;
  let base: string;

  beforeAll(async () => {
    server = await startApiServer({
      ...SHARED_SECRETS,
      WRAP_UP_MS: String(WRAP_UP_MS),
      HELP_SESSION_RATE_LIMIT: '0',
      SIGN_IN_RATE_LIMIT: '0',
    });
    base = server.url;
  });

  afterAll(async () => {
    await server?.stop();
  });

  beforeEach(() => drainQueue(base));

  it('should make a rep available on sign-in, and refuse bad input and strangers with a sentence', async () => {
    const grace = (await signIn(base, 'Grace')).body;
    expect(await statusOf(base, grace.token)).toEqual({ status: 'available', chosen: 'available' });
    for (const bad of ['in-call', 'wrap-up', 'busy', 42, undefined]) {
      const reply = await setStatus(base, grace.token, bad);
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({
        statusCode: 400,
        code: 'validation_failed',
        message: expect.stringContaining('"available" or "away"'),
      });
    }
    const stranger = await call<ApiError>(base, 'PUT', '/reps/me/status', { body: { status: 'away' } });
    expect(stranger.status).toBe(401);
    expect(stranger.body.message).toEqual(expect.any(String));
  });

  it('should refuse Next Customer with rep_away while away, show it to supervisors and in the metrics, and take again once available', async () => {
    const grace = (await signIn(base, 'Grace')).body;
    const customer = await waitingCustomer(base);
    const awayBefore = await gauge(base, 'away');

    expect((await setStatus(base, grace.token, 'away')).body).toEqual({ status: 'away', chosen: 'away' });
    const refused = await claimNext(base, grace.token);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      code: 'rep_away',
      message: 'You are set to away. Set yourself available to take customers.',
    });
    expect(await opsStatus(base, grace.repId)).toBe('away');
    expect(await gauge(base, 'away')).toBe(awayBefore + 1);

    expect((await setStatus(base, grace.token, 'available')).body).toEqual({ status: 'available', chosen: 'available' });
    const taken = await claimNext(base, grace.token);
    expect(taken.status).toBe(200);
    expect(taken.body?.helpSession.id).toBe(customer.id);
    expect(await gauge(base, 'away')).toBe(awayBefore);
  });

  it('should be in-call while holding a customer, in wrap-up for WRAP_UP_MS after the end (refused with the time left), then available and take the next', async () => {
    const grace = (await signIn(base, 'Grace')).body;
    const first = await waitingCustomer(base);
    expect((await claimNext(base, grace.token)).body?.helpSession.id).toBe(first.id);
    expect(await statusOf(base, grace.token)).toEqual({ status: 'in-call', chosen: 'available' });
    expect(await opsStatus(base, grace.repId)).toBe('in-call');
    expect(await gauge(base, 'in-call')).toBeGreaterThanOrEqual(1);

    const second = await waitingCustomer(base);
    const ended = Date.now();
    expect((await endSession(base, first.id, grace.token)).status).toBe(204);
    const wrapping = await statusOf(base, grace.token);
    expect(wrapping).toMatchObject({ status: 'wrap-up', chosen: 'available', wrapUpEndsAt: expect.any(String) });
    expect(wrapping.wrapUpMsLeft).toBeGreaterThan(0);
    expect(wrapping.wrapUpMsLeft).toBeLessThanOrEqual(WRAP_UP_MS);
    expect(await opsStatus(base, grace.repId)).toBe('wrap-up');
    expect(await gauge(base, 'wrap-up')).toBeGreaterThanOrEqual(1);

    const refused = await claimNext(base, grace.token);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      statusCode: 409,
      code: 'rep_wrap_up',
      message: expect.stringMatching(/^You are in wrap-up after your last call\. You can take the next customer in [12] seconds?\.$/),
    });

    await waitFor(async () => (await statusOf(base, grace.token)).status === 'available', {
      timeoutMs: WRAP_UP_MS + 3000,
      message: 'the wrap-up to end',
    });
    expect(Date.now() - ended).toBeGreaterThanOrEqual(WRAP_UP_MS - 50);
    const taken = await claimNext(base, grace.token);
    expect(taken.status).toBe(200);
    expect(taken.body?.helpSession.id).toBe(second.id);
  });
});
