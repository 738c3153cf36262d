import { CountingStore } from './counting.store';
import { InMemoryStore } from '../lib/in-memory.store';

describe('CountingStore', () => {
  it('should pass every call through and count it by operation', async () => {
    const store = new CountingStore(new InMemoryStore());
    const { result, calls } = await store.measure(async () => {
      await store.set('k', 'v', 60);
      await store.add('k', 'w', 60);
      return store.get('k');
    });
    expect(result).toBe('v');
    expect(calls).toBe(3);
    expect(store.snapshot()).toEqual({ total: 3, set: 1, add: 1, get: 1 });
    expect(store.description).toBe('in-memory');
    await store.close();
  });
});
