import { InMemoryStore } from './in-memory.store';
import { ObservedStore } from './observed.store';
import { StoreError } from './store.error';

describe('ObservedStore', () => {
  it('should report failed calls by operation and pass results and errors through', async () => {
    const failures: string[] = [];
    const store = new ObservedStore(new InMemoryStore(), (operation, error) => failures.push(`${operation}:${error.reason}`));
    await store.set('k', 'v', 60);
    await expect(store.get('k')).resolves.toBe('v');
    await expect(store.get('')).rejects.toBeInstanceOf(StoreError);
    await store.set('text', 'x', 60);
    await expect(store.increment('text', 1, { initial: 0, ttlSeconds: 60 })).rejects.toMatchObject({ reason: 'protocol' });
    expect(failures).toEqual(['get:invalid-key', 'increment:protocol']);
    expect(store.description).toBe('in-memory');
    await store.close();
  });
});
