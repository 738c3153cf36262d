import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { InMemoryStore, KeyValueStore, MemcachedStore } from '@servicekit/api/store';

/** Binds the KeyValueStore port to Memcached when configured, else to the embedded in-process store. */
@Global()
@Module({
  providers: [
    {
      provide: KeyValueStore,
      inject: [ServiceKitConfig],
      useFactory: ({ store, keyPrefix }: ServiceKitConfig): KeyValueStore =>
        store.kind === 'memcached'
          ? new MemcachedStore({
              servers: store.servers,
              username: store.username,
              password: store.password,
              timeoutMs: store.timeoutMs,
              keyPrefix,
            })
          : new InMemoryStore({ keyPrefix }),
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
