import { InMemoryStore } from '@servicekit/api/store';
import { StoreThrottlerStorage } from './store-throttler.storage';

describe('StoreThrottlerStorage', () => {
  it('should count hits per key in the shared store and block past the limit', async () => {
    const store = new InMemoryStore();
    const instanceA = new StoreThrottlerStorage(store);
    const instanceB = new StoreThrottlerStorage(store);
    const hits = [];
    for (let i = 0; i < 3; i++) hits.push(await (i % 2 ? instanceA : instanceB).increment('client-1', 60_000, 2, 0, 'sign-in'));
    expect(hits.map((h) => [h.totalHits, h.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(hits[2]!.timeToBlockExpire).toBeGreaterThan(0);
    expect((await instanceA.increment('client-2', 60_000, 2, 0, 'sign-in')).totalHits).toBe(1);
    expect((await instanceA.increment('client-1', 60_000, 2, 0, 'help-sessions')).totalHits).toBe(1);
    await store.close();
  });
});
