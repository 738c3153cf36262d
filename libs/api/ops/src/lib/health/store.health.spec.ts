import { Test } from '@nestjs/testing';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InMemoryStore, KeyValueStore, StoreError } from '@servicekit/api/store';
import { StoreHealthIndicator } from './store.health';

class UnreachableStore extends InMemoryStore {
  override readonly description = 'memcached (127.0.0.1:1)';
  override ping(): Promise<number> {
    return Promise.reject(new StoreError('unavailable', 'Memcached at 127.0.0.1:1 refused the connection.'));
  }
}

async function indicatorFor(store: KeyValueStore) {
  const moduleRef = await Test.createTestingModule({
    providers: [StoreHealthIndicator, HealthIndicatorService, { provide: KeyValueStore, useValue: store }],
  }).compile();
  return moduleRef.get(StoreHealthIndicator);
}

describe('StoreHealthIndicator', () => {
  it('should be up with the store latency when the store answers', async () => {
    const store = new InMemoryStore();
    const result = await (await indicatorFor(store)).isHealthy('store');
    expect(result['store']).toMatchObject({ status: 'up', store: 'in-memory', latencyMs: expect.any(Number) });
    await store.close();
  });

  it('should be down with the reason when the store does not answer', async () => {
    const store = new UnreachableStore();
    const result = await (await indicatorFor(store)).isHealthy('store');
    expect(result['store']).toEqual({
      status: 'down',
      store: 'memcached (127.0.0.1:1)',
      message: 'Memcached at 127.0.0.1:1 refused the connection.',
    });
    await store.close();
  });
});
