import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { ServiceKitMetrics } from '@servicekit/api/metrics';
import { InMemoryStore, KeyValueStore, MemcachedStore, ObservedStore } from '@servicekit/api/store';

/**
 * Binds the KeyValueStore port to Memcached when configured, else to the embedded in-process store; every
 * failed store call is counted in the metrics (servicekit_store_errors_total{operation}).
 */
@Global()
@Module({
  providers: [
    {
      provide: KeyValueStore,
      inject: [ServiceKitConfig, ServiceKitMetrics],
      useFactory: ({ store, keyPrefix }: ServiceKitConfig, metrics: ServiceKitMetrics): KeyValueStore => {
        const adapter =
          store.kind === 'memcached'
            ? new MemcachedStore({
                servers: store.servers,
                username: store.username,
                password: store.password,
                timeoutMs: store.timeoutMs,
                keyPrefix,
              })
            : new InMemoryStore({ keyPrefix });
        return new ObservedStore(adapter, (operation) => metrics.storeError(operation));
      },
    },
  ],
  exports: [KeyValueStore],
})
export class StoreModule implements OnApplicationShutdown {
  constructor(@Inject(KeyValueStore) private readonly store: KeyValueStore) {}

  async onApplicationShutdown() {
    await this.store.close();
  }
}
