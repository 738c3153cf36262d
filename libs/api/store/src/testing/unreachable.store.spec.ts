import { StoreError } from '../lib/store.error';
import { UnreachableStore } from './unreachable.store';

describe('UnreachableStore', () => {
  it('should reject every call with an unavailable StoreError that names the address', async () => {
    const store = new UnreachableStore('10.0.0.9:11211');
    const counter = { initial: 0, ttlSeconds: 60 };
    const outcomes = await Promise.allSettled([
      store.get('k'),
      store.set('k', 'v', 60),
      store.add('k', 'v', 60),
      store.replace('k', 'v', 60),
      store.increment('k', 1, counter),
      store.decrement('k', 1, counter),
      store.delete('k'),
      store.touch('k', 60),
      store.ping(),
    ]);
    expect(outcomes).toHaveLength(9);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const reason: unknown = outcome.status === 'rejected' ? outcome.reason : undefined;
      expect(reason).toBeInstanceOf(StoreError);
      expect(reason).toMatchObject({ reason: 'unavailable', message: 'Memcached at 10.0.0.9:11211 refused the connection.' });
    }
    expect(store.description).toBe('memcached (10.0.0.9:11211)');
    await expect(store.close()).resolves.toBeUndefined();
  });
});
