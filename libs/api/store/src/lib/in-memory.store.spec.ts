import { waitFor } from '@servicekit/tools/testing';
import { describeKeyValueStoreContract } from '../testing';
import { InMemoryStore } from './in-memory.store';

describeKeyValueStoreContract('InMemoryStore', (keyPrefix) => {
  let now = Date.now();
  return {
    store: new InMemoryStore({ keyPrefix, now: () => now }),
    advanceTime: (ms) => (now += ms),
  };
});

describe('InMemoryStore', () => {
  let now: number;
  let store: InMemoryStore;

  beforeEach(() => {
    now = 1_000_000;
    store = new InMemoryStore({ now: () => now, sweepIntervalMs: 10 });
  });

  afterEach(async () => {
    await store.close();
  });

  it('should expire exactly at its TTL by its clock', async () => {
    await store.set('k', 'v', 10);

    now += 9_999;
    await expect(store.get('k')).resolves.toBe('v');
    now += 1;
    await expect(store.get('k')).resolves.toBeNull();
  });

  it('should sweep expired keys that nobody reads again', async () => {
    await store.set('a', 'v', 1);
    await store.set('b', 'v', 60);
    expect(store.size).toBe(2);

    now += 2_000;

    await waitFor(() => store.size === 1, { message: 'the sweep to drop the expired key' });
    await expect(store.get('b')).resolves.toBe('v');
  });

  it('should expire by the real clock when given none', async () => {
    const realTime = new InMemoryStore();
    try {
      await realTime.set('k', 'v', 1);

      await waitFor(async () => (await realTime.get('k')) === null, { timeoutMs: 2500, message: 'the key to expire' });
    } finally {
      await realTime.close();
    }
  });

  it('should not keep the process alive with its sweep timer', async () => {
    const timersBefore = process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

    const another = new InMemoryStore();
    const timersAfter = process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    await another.close();

    expect(timersAfter).toBe(timersBefore);
  });

  it('should keep keys apart by prefix', async () => {
    const prefixed = new InMemoryStore({ keyPrefix: 'a:' });
    try {
      await prefixed.set('k', 'v', 60);

      await expect(prefixed.get('k')).resolves.toBe('v');
      await expect(prefixed.get('a:k')).resolves.toBeNull();
    } finally {
      await prefixed.close();
    }
  });

  it('should refuse a key prefix with white space when built', () => {
    expect(() => new InMemoryStore({ keyPrefix: 'my app:' })).toThrow(expect.objectContaining({ reason: 'invalid-argument' }));
  });

  it('should count like Memcached on text it accepts as a number and wrap at 2^64', async () => {
    await store.set('padded', ' 5 ', 60);
    await store.set('max', '18446744073709551615', 60);
    await store.set('negative', '-5', 60);

    await expect(store.increment('padded', 1, { initial: 0, ttlSeconds: 60 })).resolves.toBe(6);
    await expect(store.increment('max', 1, { initial: 0, ttlSeconds: 60 })).resolves.toBe(0);
    await expect(store.get('max')).resolves.toBe('0'.padEnd(20, ' '));
    await expect(store.increment('negative', 1, { initial: 0, ttlSeconds: 60 })).rejects.toMatchObject({ reason: 'protocol' });
  });
});
