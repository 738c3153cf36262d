import { PresenceClient } from '@servicekit/client/presence';
import type { CreateHelpSessionResponse, OpsQueueResponse } from '@servicekit/contracts';
import { chooseSeed, MemcachedServer, seededRandom, startMemcached, waitFor } from '@servicekit/tools/testing';
import {
  ApiServer,
  call,
  cancel,
  claimNext,
  createHelpSession,
  enqueue,
  SHARED_SECRETS,
  signIn,
  startApiServer,
  TEST_OPS_TOKEN,
} from '@servicekit/tools/e2e-support';

const CUSTOMERS = 60;
const REPS = 6;
const STEPS = 160;
/** Steps run this many at a time, so that changes race on both instances. */
const AT_ONCE = 4;
/** The storm's plan (who does what, through which instance) comes from this seed (printed; TEST_SEED replays it). */
const SEED = chooseSeed(__filename);

/**
 * Positions are pushed without reading the queue: each instance moves the customers it holds from the
 * changes every instance announces. After a random storm of arrivals, claims, cancels and no-shows (the
 * customer handed back to the front) on two instances sharing a real memcached, what every waiting customer
 * was last told must be what a full scan of the queue says (the ops view lists everyone when fewer than 100
 * wait), and the queue's counters must count what the scan lists.
 */
describe(`pushed positions after a random storm on two instances (seed ${SEED})`, () => {
  let memcached: MemcachedServer;
  const servers: ApiServer[] = [];
  const sockets: PresenceClient[] = [];

  beforeAll(async () => {
    memcached = await startMemcached();
    const env = {
      ...SHARED_SECRETS,
      MEMCACHED_SERVERS: memcached.address,
      HELP_SESSION_RATE_LIMIT: '0',
      SIGN_IN_RATE_LIMIT: '0',
      // Nobody joins a call: every claim turns into a no-show and the customer goes back to the front.
      NO_SHOW_MS: '1000',
    };
    servers.push(...(await Promise.all([startApiServer(env), startApiServer(env)])));
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await Promise.all(servers.map((server) => server.stop()));
    await memcached.stop();
  });

  it('should have told every waiting customer the position a full scan gives', async () => {
    const random = seededRandom(SEED);
    const url = (i: number) => servers[i % servers.length]?.url ?? '';
    const sessions: CreateHelpSessionResponse[] = [];
    for (let i = 0; i < CUSTOMERS; i++) sessions.push((await createHelpSession(url(i), `Customer ${i}`)).body);
    sockets.push(...sessions.map((session) => new PresenceClient({ url: url(random.integer(0, 1)), token: session.customerToken })));
    await Promise.all(sockets.map((socket) => socket.ready()));
    const reps = await Promise.all(Array.from({ length: REPS }, (_, i) => signIn(url(i), `Rep ${i}`)));

    // The plan first, so a seed replays it whatever the timing: [action, customer or rep, instance].
    const plan = Array.from({ length: STEPS }, () => {
      const roll = random.integer(0, 99);
      const action = roll < 50 ? 'enqueue' : roll < 75 ? 'claim' : 'cancel';
      return { action, who: random.integer(0, action === 'claim' ? REPS - 1 : CUSTOMERS - 1), via: random.integer(0, 1) };
    });
    const statuses: number[] = [];
    for (let i = 0; i < plan.length; i += AT_ONCE) {
      await Promise.all(
        plan.slice(i, i + AT_ONCE).map(async ({ action, who, via }) => {
          const session = sessions[who];
          const rep = reps[who]?.body;
          const reply =
            action === 'enqueue' && session
              ? await enqueue(url(via), session)
              : action === 'cancel' && session
                ? await cancel(url(via), session)
                : rep
                  ? await claimNext(url(via), rep.token, 0)
                  : null;
          if (reply) statuses.push(reply.status);
        }),
      );
    }
    // Refusals (already queued, taken, not queued, a rep still holding a reservation) are fine; failures are not.
    expect(statuses.filter((status) => status >= 500)).toEqual([]);

    const scan = async () => (await call<OpsQueueResponse>(url(0), 'GET', '/ops/queue', { token: TEST_OPS_TOKEN })).body;
    const told = (id: string) => {
      const state = sockets[sessions.findIndex((session) => session.id === id)]?.customerState;
      return state?.state === 'waiting' ? state.position : null;
    };
    const disagreements = async () => {
      const queue = await scan();
      const wrong = queue.waiting.filter((entry) => told(entry.helpSessionId) !== entry.position);
      const listed = new Set(queue.waiting.map((entry) => entry.helpSessionId));
      // A customer still told "waiting" who is not in the queue any more.
      const stale = sessions.filter((session) => !listed.has(session.id) && told(session.id) !== null);
      return { queue, wrong, stale };
    };
    // No-shows keep changing the queue for a second or so after the last step: wait until it has settled.
    await waitFor(
      async () => {
        const { queue, wrong, stale } = await disagreements();
        return queue.waiting.length > 0 && wrong.length === 0 && stale.length === 0;
      },
      { timeoutMs: 30_000, intervalMs: 200, message: 'the pushed positions to agree with a scan of the queue' },
    ).catch(() => undefined);
    const { queue, wrong, stale } = await disagreements();
    expect(wrong.map((entry) => `${entry.helpSessionId}: scan ${entry.position}, told ${told(entry.helpSessionId)}`)).toEqual([]);
    expect(stale.map((session) => session.id)).toEqual([]);
    expect(queue.queueLength).toBe(queue.waiting.length);
    expect(queue.waiting.length).toBeGreaterThan(0);
  }, 120_000);
});
