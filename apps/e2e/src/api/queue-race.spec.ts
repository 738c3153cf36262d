import { setTimeout as delay } from 'node:timers/promises';
import { PresenceClient } from '@servicekit/client/presence';
import type { CreateHelpSessionResponse } from '@servicekit/contracts';
import { chooseSeed, MemcachedServer, seededRandom, startMemcached } from '@servicekit/tools/testing';
import {
  cancel,
  claimNext,
  createHelpSession,
  enqueue,
  SHARED_SECRETS,
  signIn,
  ApiServer,
  startApiServer,
} from '@servicekit/tools/e2e-support';

const CUSTOMERS = 300;
const REPS = 20;
const CANCEL_SHARE = 0.3;
/** A cancelling customer cancels this long after their enqueue at most, so cancels land among the claims. */
const CANCEL_JITTER_MS = 400;
/** Who cancels and when comes from this seed (printed; TEST_SEED replays it). */
const SEED = chooseSeed(__filename);

interface CustomerRecord {
  session: CreateHelpSessionResponse;
  enqueueStart: number;
  enqueueEnd: number;
  cancelStatus?: number;
}

interface ClaimRecord {
  id: string;
  start: number;
  end: number;
}

/**
 * Real clients racing real servers: hundreds of customers (each holding a presence socket) enqueueing,
 * reps claiming and about a third of the customers cancelling at random moments, all at once, spread over
 * the API instances.
 */
describe.each([
  ['memcached shared by two API instances', 2],
  ['the in-memory store of one API instance', 1],
])(`the queue under concurrency (seed ${SEED}): %s`, (_, instances) => {
  let memcached: MemcachedServer | undefined;
  const servers: ApiServer[] = [];

  beforeAll(async () => {
    memcached = instances > 1 ? await startMemcached() : undefined;
    const env = {
      ...SHARED_SECRETS,
      HELP_SESSION_RATE_LIMIT: '0',
      SIGN_IN_RATE_LIMIT: '0',
      // Nobody here joins a call: a reservation must not turn into a no-show (and a second claim) while the
      // race runs. No-shows have their own tests.
      NO_SHOW_MS: '60000',
      ...(memcached ? { MEMCACHED_SERVERS: memcached.address } : {}),
    };
    servers.push(...(await Promise.all(Array.from({ length: instances }, () => startApiServer(env)))));
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await memcached?.stop();
  });

  it('should match every customer at most once, lose none, honour cancels and keep FIFO order', async () => {
    const base = (i: number) => servers[i % servers.length]!.url;
    const sessions: CreateHelpSessionResponse[] = [];
    for (let i = 0; i < CUSTOMERS; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, CUSTOMERS - i) }, (_, j) => createHelpSession(base(i + j), `Customer ${i + j}`)),
      );
      sessions.push(...batch.map((reply) => reply.body));
    }
    // Every customer holds a presence socket, as the customer app does (a customer without one is dropped
    // after the grace period).
    const sockets = sessions.map((session, i) => new PresenceClient({ url: base(i + 1), token: session.customerToken }));
    await Promise.all(sockets.map((socket) => socket.ready()));
    const reps = await Promise.all(Array.from({ length: REPS }, (_, i) => signIn(base(i), `Rep ${i}`)));
    // The plan is drawn up front, in customer order, so that a seed replays the same plan whatever the timing.
    const random = seededRandom(SEED);
    const cancelAfterMs = sessions.map(() => (random.chance(CANCEL_SHARE) ? random.integer(0, CANCEL_JITTER_MS) : undefined));

    const customers = new Map<string, CustomerRecord>();
    const claims: ClaimRecord[] = [];
    const claimStatuses: number[] = [];
    let settled = 0;
    const isDone = () => settled >= CUSTOMERS;
    const deadline = Date.now() + 90_000;

    const customerRuns = sessions.map(async (session, i) => {
      const record: CustomerRecord = { session, enqueueStart: Date.now(), enqueueEnd: 0 };
      customers.set(session.id, record);
      const reply = await enqueue(base(i + 1), session);
      record.enqueueEnd = Date.now();
      expect(reply.status).toBe(201);
      const wait = cancelAfterMs[i];
      if (wait !== undefined) {
        await delay(wait);
        record.cancelStatus = (await cancel(base(i), session)).status;
        if (record.cancelStatus === 204) settled++;
      }
    });

    const repRuns = reps.map(async (rep, i) => {
      while (!isDone() && Date.now() < deadline) {
        const start = Date.now();
        const reply = await claimNext(base(i), rep.body.token, 300);
        claimStatuses.push(reply.status);
        if (reply.status === 200 && reply.body) {
          claims.push({ id: reply.body.helpSession.id, start, end: Date.now() });
          settled++;
        }
      }
    });

    await Promise.all([...customerRuns, ...repRuns]);
    sockets.forEach((socket) => socket.close());

    // Every claim answered 200 or 204, nothing else.
    expect(claimStatuses.filter((s) => s !== 200 && s !== 204)).toEqual([]);

    // No customer is claimed twice.
    const claimedIds = claims.map((c) => c.id);
    expect(new Set(claimedIds).size).toBe(claimedIds.length);

    // Cancels: 204 means never claimed, 409 means a rep had them; nothing else.
    const records = [...customers.values()];
    const claimed = new Set(claimedIds);
    const cancelled = records.filter((r) => r.cancelStatus === 204);
    const tooLate = records.filter((r) => r.cancelStatus === 409);
    expect(records.filter((r) => r.cancelStatus !== undefined && r.cancelStatus !== 204 && r.cancelStatus !== 409)).toEqual([]);
    expect(cancelled.filter((r) => claimed.has(r.session.id))).toEqual([]);
    expect(tooLate.filter((r) => !claimed.has(r.session.id))).toEqual([]);

    // Every customer who did not cancel in time was claimed: none lost.
    const lost = records.filter((r) => r.cancelStatus !== 204 && !claimed.has(r.session.id)).map((r) => r.session.id);
    expect(lost).toEqual([]);
    expect(claims.length + cancelled.length).toBe(CUSTOMERS);

    // FIFO: when A's enqueue finished before B's began, B's claim never finished before A's claim began.
    const claimOf = new Map(claims.map((c) => [c.id, c]));
    const served = records.filter((r) => claimOf.has(r.session.id));
    const inversions: string[] = [];
    for (const a of served) {
      for (const b of served) {
        const claimA = claimOf.get(a.session.id);
        const claimB = claimOf.get(b.session.id);
        if (claimA && claimB && a.enqueueEnd < b.enqueueStart && claimB.end < claimA.start) {
          inversions.push(`${b.session.id} before ${a.session.id}`);
        }
      }
    }
    expect(inversions).toEqual([]);
    // The race really raced: both outcomes of a cancel happened or at least many cancels and claims overlapped.
    expect(cancelled.length).toBeGreaterThan(0);
    expect(claims.length).toBeGreaterThan(CUSTOMERS / 2);
  }, 120_000);
});
