import { InMemoryStore, KeyValueStore } from '@servicekit/api/store';
import { CountingStore } from '@servicekit/api/store/testing';
import { chooseSeed, seededRandom } from '@servicekit/tools/testing';
import { AlreadyClaimedError } from './queue.errors';
import { Eligibility, HelpQueue, QueueChange } from './help-queue';

const SEED = chooseSeed(__filename);

const everyone: Eligibility = async () => 'yes';

describe('HelpQueue', () => {
  let store: KeyValueStore;
  let queue: HelpQueue;

  beforeEach(() => {
    store = new InMemoryStore();
    queue = new HelpQueue(store, { arrivalPollMs: 20 });
  });

  afterEach(async () => {
    await store.close();
  });

  it('should hand customers out in the order they arrived', async () => {
    for (const id of ['a', 'b', 'c']) await queue.enqueue(id);
    const order = [];
    for (let i = 0; i < 3; i++) order.push((await queue.claimNext('rep', everyone))?.helpSessionId);
    expect(order).toEqual(['a', 'b', 'c']);
    await expect(queue.claimNext('rep', everyone)).resolves.toBeNull();
  });

  it('should report positions that move up as customers ahead are served or leave', async () => {
    for (const id of ['a', 'b', 'c', 'd']) await queue.enqueue(id);
    expect((await queue.place('d'))?.position).toBe(4);
    await queue.claimNext('rep', everyone);
    await queue.cancel('b');
    expect((await queue.place('c'))?.position).toBe(1);
    expect((await queue.place('d'))?.position).toBe(2);
    expect(await queue.place('b')).toBeNull();
  });

  it('should be idempotent: enqueueing twice, even at once, makes one entry', async () => {
    const places = await Promise.all([queue.enqueue('a'), queue.enqueue('a'), queue.enqueue('a')]);
    expect(places.map((p) => p.position)).toEqual([1, 1, 1]);
    expect(await queue.waiting()).toHaveLength(1);
    await queue.enqueue('b');
    expect((await queue.enqueue('b')).position).toBe(2);
  });

  it('should refuse to queue a customer a rep already took', async () => {
    await queue.enqueue('a');
    await queue.claimNext('rep', everyone);
    await expect(queue.enqueue('a')).rejects.toThrow(AlreadyClaimedError);
  });

  it('should let a cancel win or report that a rep took the customer, never both', async () => {
    await queue.enqueue('a');
    const [cancel, claim] = await Promise.all([queue.cancel('a'), queue.claimNext('rep', everyone)]);
    expect(cancel === 'cancelled' ? claim === null : claim?.helpSessionId === 'a' && cancel === 'taken').toBe(true);
    expect(await queue.cancel('a')).toBe(cancel === 'cancelled' ? 'not-queued' : 'taken');
  });

  it('should never hand out a cancelled customer and keep the rest of the queue', async () => {
    for (const id of ['a', 'b', 'c']) await queue.enqueue(id);
    expect(await queue.cancel('a')).toBe('cancelled');
    expect((await queue.claimNext('rep', everyone))?.helpSessionId).toBe('b');
    expect(await queue.cancel('b')).toBe('taken');
    expect((await queue.claimNext('rep', everyone))?.helpSessionId).toBe('c');
  });

  it('should skip customers who are gone for good and keep those briefly away in their place', async () => {
    for (const id of ['gone', 'away', 'here']) await queue.enqueue(id);
    const verdicts: Record<string, 'yes' | 'gone' | 'later'> = { gone: 'gone', away: 'later', here: 'yes' };
    const eligible: Eligibility = async (id) => verdicts[id] ?? 'gone';
    expect((await queue.claimNext('rep', eligible))?.helpSessionId).toBe('here');
    expect(await queue.claimNext('rep', eligible)).toBeNull();
    verdicts['away'] = 'yes';
    expect((await queue.claimNext('rep', eligible))?.helpSessionId).toBe('away');
    expect(await queue.waiting()).toEqual([]);
  });

  it('should put a returned customer back at the very front with the original wait', async () => {
    await queue.enqueue('a', 1000);
    await queue.enqueue('b', 2000);
    const first = await queue.claimNext('rep1', everyone, 5000);
    expect(first).toEqual({ helpSessionId: 'a', waitedMs: 4000 });
    const place = await queue.returnToFront('a', 1000);
    expect(place.position).toBe(1);
    expect((await queue.place('b'))?.position).toBe(2);
    expect(await queue.claimNext('rep2', everyone, 9000)).toEqual({ helpSessionId: 'a', waitedMs: 8000 });
  });

  it("should tell a waiting customer's ticket, whose order is the serving order, and nothing once they are not waiting", async () => {
    await queue.enqueue('a', 1000);
    await queue.enqueue('b', 2000);
    await queue.enqueue('c', 3000);
    await queue.claimNext('rep1', everyone, 4000);
    await queue.returnToFront('a', 1000);
    await queue.cancel('c');

    const tickets = await Promise.all(['a', 'b', 'c', 'nobody'].map((id) => queue.ticketOf(id)));
    expect(tickets).toEqual([{ front: true, n: 1, enqueuedAt: 1000 }, { front: false, n: 2, enqueuedAt: 2000 }, null, null]);
    await queue.claimNext('rep2', everyone, 5000);
    await expect(queue.ticketOf('a')).resolves.toBeNull();
  });

  it('should match every customer exactly once when many reps claim at once', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `c${i}`);
    await Promise.all(ids.map((id) => queue.enqueue(id)));
    const claims = await Promise.all(Array.from({ length: 80 }, (_, i) => queue.claimNext(`rep${i}`, everyone)));
    const claimed = claims.filter((c) => c !== null).map((c) => c?.helpSessionId);
    expect(claimed.sort()).toEqual([...ids].sort());
  });

  it('should wake a waiting rep as soon as a customer arrives', async () => {
    const waiting = queue.claimNextWaiting('rep', everyone, 10_000);
    await queue.enqueue('late');
    await expect(waiting).resolves.toMatchObject({ helpSessionId: 'late' });
  });

  it('should notice an arrival made through another instance', async () => {
    const otherInstance = new HelpQueue(store, { arrivalPollMs: 20 });
    const waiting = queue.claimNextWaiting('rep', everyone, 10_000);
    await otherInstance.enqueue('elsewhere');
    await expect(waiting).resolves.toMatchObject({ helpSessionId: 'elsewhere' });
  });

  it('should stop waiting when the rep gives up', async () => {
    const gaveUp = new AbortController();
    const waiting = queue.claimNextWaiting('rep', everyone, 10_000, gaveUp.signal);
    gaveUp.abort();
    await expect(waiting).resolves.toBeNull();
    await queue.enqueue('a');
    expect((await queue.place('a'))?.position).toBe(1);
  });

  it('should estimate the wait from the measured time between claims', async () => {
    for (const id of ['a', 'b', 'c', 'd']) await queue.enqueue(id);
    await queue.claimNext('rep', everyone, 10_000);
    await queue.claimNext('rep', everyone, 40_000);
    // 0.8 × 30 s (first sample) + 0.2 × 30 s = 30 s per place.
    expect(await queue.estimateWaitMs(2)).toBe(60_000);
  });
});

describe('HelpQueue store round trips (counted by an instrumented store)', () => {
  const everyoneHere: Eligibility = async () => 'yes';

  async function queueOf(waiting: number) {
    const store = new CountingStore(new InMemoryStore());
    const queue = new HelpQueue(store);
    for (let i = 0; i < waiting; i++) await queue.enqueue(`w${i}`);
    return { store, queue };
  }

  it('should enqueue, answer a position and count the queue in a number of calls that does not grow with its length', async () => {
    const costs: { enqueue: number; length: number }[] = [];
    for (const waiting of [0, 10, 200]) {
      const { store, queue } = await queueOf(waiting);
      const enqueue = await store.measure(() => queue.enqueue('new'));
      const place = await store.measure(() => queue.place('new'));
      const length = await store.measure(() => queue.length());
      expect(enqueue.result.position).toBe(waiting + 1);
      expect(place.result?.position).toBe(waiting + 1);
      expect(length.result).toBe(waiting + 1);
      costs.push({ enqueue: enqueue.calls, length: length.calls });
      // The position reads one tree node per set bit of the ticket number: at most log2 of it.
      expect(place.calls).toBeLessThanOrEqual(8 + 2 * Math.ceil(Math.log2(waiting + 2)));
      await store.close();
    }
    expect(new Set(costs.map(({ length }) => length)).size).toBe(1);
    const enqueues = costs.map(({ enqueue }) => enqueue);
    expect(Math.max(...enqueues)).toBeLessThanOrEqual(Math.min(...enqueues) + 16);
  });

  it('should cancel in a constant number of calls whatever the queue length', async () => {
    for (const waiting of [1, 50, 200]) {
      const { store, queue } = await queueOf(waiting);
      const { calls } = await store.measure(() => queue.cancel(`w${waiting - 1}`));
      // A marker, a fate, the marker's delete, the settled counter and at most 27 tree nodes.
      expect(calls).toBeLessThanOrEqual(4 + 1 + 27);
      await store.close();
    }
  });

  it('should count the queue and its oldest wait from counters, whatever its length', async () => {
    const { store, queue } = await queueOf(200);
    await queue.cancel('w0');
    const oldest = await store.measure(() => queue.oldestWaitMs(Date.now() + 5000));
    expect(oldest.result).toBeGreaterThanOrEqual(5000);
    expect(oldest.calls).toBeLessThan(20);
    await expect(queue.length()).resolves.toBe(199);
    expect((await queue.waitingPage(3)).map((entry) => entry.helpSessionId)).toEqual(['w1', 'w2', 'w3']);
    await store.close();
  });

  it('should claim the head of the queue in a constant number of calls', async () => {
    for (const waiting of [1, 50]) {
      const { store, queue } = await queueOf(waiting);
      const { calls } = await store.measure(() => queue.claimNext('rep', everyoneHere, 1));
      // 10 for the claim itself, the settled counter and at most 27 tree nodes.
      expect(calls).toBeLessThanOrEqual(10 + 1 + 27);
      await store.close();
    }
  });
});

describe(`HelpQueue positions against a full scan (seed ${SEED})`, () => {
  it('should answer every position, the length and the changes as a full scan sees them, after a random storm', async () => {
    const random = seededRandom(SEED);
    const store = new InMemoryStore();
    const queue = new HelpQueue(store);
    const changes: QueueChange[] = [];
    queue.onChange((change) => changes.push(change));
    const away = new Set<string>();
    const eligible: Eligibility = async (id) => (away.has(id) ? (random.chance(0.5) ? 'gone' : 'later') : 'yes');
    let next = 0;
    for (let step = 0; step < 400; step++) {
      const roll = random.integer(0, 99);
      const waiting = await queue.waiting();
      const someone = waiting[random.integer(0, Math.max(0, waiting.length - 1))]?.helpSessionId;
      if (roll < 45) await queue.enqueue(`c${next++}`);
      else if (roll < 65) await queue.claimNext('rep', eligible);
      else if (roll < 80 && someone) await queue.cancel(someone);
      else if (roll < 90 && someone) away.add(someone);
      else if (someone) {
        const claim = await queue.claimNext('rep', eligible);
        if (claim && random.chance(0.5)) await queue.returnToFront(claim.helpSessionId, Date.now());
      }
    }
    const scan = await queue.waiting();
    const places = await Promise.all(scan.map((entry) => queue.place(entry.helpSessionId)));
    expect(places.map((place) => place?.position)).toEqual(scan.map((entry) => entry.position));
    await expect(queue.length()).resolves.toBe(scan.length);
    const settled = changes.filter((change) => change.kind === 'settled').length;
    const arrived = changes.filter((change) => change.kind === 'arrived').length;
    expect(arrived - settled).toBe(scan.length);
    await store.close();
  });
});
