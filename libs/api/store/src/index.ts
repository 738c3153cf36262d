export { KeyValueStore } from './lib/key-value-store';
export { StoreError, type StoreErrorReason } from './lib/store.error';
export { InMemoryStore, type InMemoryStoreOptions } from './lib/in-memory.store';
export { MemcachedStore, type MemcachedStoreOptions } from './lib/memcached.store';
export { MAX_KEY_BYTES, MAX_TTL_SECONDS, MAX_VALUE_BYTES, MAX_COUNTER } from './lib/store-arguments';
export { ObservedStore } from './lib/observed.store';
