import { InMemoryStore, KeyValueStore } from '@servicekit/api/store';
import { CountingStore } from '@servicekit/api/store/testing';
import { AlreadyClaimedError } from './queue.errors';
import { Eligibility, HelpQueue } from './help-queue';

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
    const queue = new HelpQueue(store, { positionCacheMs: 0 });
    for (let i = 0; i < waiting; i++) await queue.enqueue(`w${i}`);
    return { store, queue };
  }

  it('should enqueue in 13 calls plus two per customer already waiting (the position)', async () => {
    for (const waiting of [0, 10, 50]) {
      const { store, queue } = await queueOf(waiting);
      const { calls } = await store.measure(() => queue.enqueue('new'));
      expect(calls).toBe(13 + 2 * waiting);
      await store.close();
    }
  });

  it('should let a burst of arrivals share scans of the queue for their positions', async () => {
    const store = new CountingStore(new InMemoryStore());
    const queue = new HelpQueue(store, { positionCacheMs: 60_000 });
    for (let i = 0; i < 50; i++) await queue.enqueue(`w${i}`);
    const { result, calls } = await store.measure(() => Promise.all(Array.from({ length: 50 }, (_, i) => queue.enqueue(`b${i}`))));
    expect(result.map((p) => p.position).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => 51 + i));
    // Uncached, each would read the whole queue: 50 × (12 + 2 × 75) = 8100 calls. Shared: 7 own calls each
    // plus a few scans.
    expect(calls).toBeLessThan(50 * 7 + 2 * 2 * 100 + 8);
    await store.close();
  });

  it('should cancel in 4 calls whatever the queue length', async () => {
    for (const waiting of [1, 50]) {
      const { store, queue } = await queueOf(waiting);
      const { calls } = await store.measure(() => queue.cancel('w0'));
      expect(calls).toBe(4);
      await store.close();
    }
  });

  it('should claim the head of the queue in a constant number of calls', async () => {
    for (const waiting of [1, 50]) {
      const { store, queue } = await queueOf(waiting);
      const { calls } = await store.measure(() => queue.claimNext('rep', everyoneHere, 1));
      expect(calls).toBe(11);
      await store.close();
    }
  });
});
