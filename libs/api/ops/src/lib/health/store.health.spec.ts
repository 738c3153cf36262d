import { Test } from '@nestjs/testing';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InMemoryStore, KeyValueStore } from '@servicekit/api/store';
import { UnreachableStore } from '@servicekit/api/store/testing';
import { StoreHealthIndicator } from './store.health';

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
