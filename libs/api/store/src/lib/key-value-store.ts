/**
 * The Memcached repository interface: exactly what Memcached offers, so that domain code written once on top
 * of it runs on Memcached (MemcachedStore) and in process (InMemoryStore) with the same semantics.
 * Values are strings; every key has a TTL in seconds (1 s resolution; at most 30 days). Every failure is a
 * StoreError; bad arguments are refused before anything reaches a server.
 */
export abstract class KeyValueStore {
  /** For banners and health, e.g. "in-memory" or "memcached (127.0.0.1:11211)". */
  abstract readonly description: string;
  abstract get(key: string): Promise<string | null>;
  abstract set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Create-if-absent: true when this call created the key. Atomic: exactly one of concurrent adds wins. */
  abstract add(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Replace-if-present: true when the key existed. */
  abstract replace(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /**
   * Atomic. A missing key is created with `initial` and `initial` is returned (Memcached semantics); the TTL
   * applies only on creation. The counter is stored as decimal text; keep counters below 2^32.
   */
  abstract increment(key: string, by: number, options: { initial: number; ttlSeconds: number }): Promise<number>;
  /**
   * Atomic; never below 0 (Memcached semantics); a missing key is created with `initial`. Like Memcached, a
   * counter that gets shorter keeps its length with trailing spaces: `get` may read "9 " after 10 - 1.
   */
  abstract decrement(key: string, by: number, options: { initial: number; ttlSeconds: number }): Promise<number>;
  /** True when the key existed. */
  abstract delete(key: string): Promise<boolean>;
  /** Sets a new TTL on an existing key; true when it existed. */
  abstract touch(key: string, ttlSeconds: number): Promise<boolean>;
  /** Round-trip latency in ms; rejects with StoreError when the store does not answer. */
  abstract ping(): Promise<number>;
  /** Releases connections and timers; later calls reject with StoreError('unavailable'). */
  abstract close(): Promise<void>;
}
