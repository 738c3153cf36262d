import { createHash } from 'node:crypto';
import { InMemoryStore } from '@servicekit/api/store';
import { StoreThrottlerStorage } from './store-throttler.storage';

const SECRET = 'throttler-test-secret-0123456789';

/** An in-memory store that remembers every key written to it. */
class RecordingStore extends InMemoryStore {
  readonly keys = new Set<string>();

  override increment(key: string, by: number, options: { initial: number; ttlSeconds: number }): Promise<number> {
    this.keys.add(key);
    return super.increment(key, by, options);
  }
}

describe('StoreThrottlerStorage', () => {
  it('should count hits per key in the shared store and block past the limit', async () => {
    const store = new InMemoryStore();
    const instanceA = new StoreThrottlerStorage(store, SECRET);
    const instanceB = new StoreThrottlerStorage(store, SECRET);
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

  it('should store only a keyed hash of the client key, never the key or its plain hash', async () => {
    const store = new RecordingStore();
    const client = '203.0.113.7';
    await new StoreThrottlerStorage(store, SECRET).increment(client, 60_000, 2, 0, 'sign-in');
    await new StoreThrottlerStorage(store, 'another-secret-0123456789abcdef').increment(client, 60_000, 2, 0, 'sign-in');
    const plain = createHash('sha256').update(client).digest('base64url').slice(0, 32);
    const keys = [...store.keys];
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).not.toContain(client);
      expect(key).not.toContain(plain);
    }
    await store.close();
  });
});
