import { KeyValueStore } from '../lib/key-value-store';

export type StoreOperation = 'get' | 'set' | 'add' | 'replace' | 'increment' | 'decrement' | 'delete' | 'touch' | 'ping';

/**
 * A KeyValueStore decorator that counts the calls made to the store it wraps: how many round trips an
 * operation of the domain costs, measured rather than estimated.
 */
export class CountingStore extends KeyValueStore {
  private counts = new Map<StoreOperation, number>();

  constructor(private readonly inner: KeyValueStore) {
    super();
  }

  get description(): string {
    return this.inner.description;
  }

  /** Calls per operation since the last reset, and their total. */
  snapshot(): { total: number } & Partial<Record<StoreOperation, number>> {
    const result: { total: number } & Partial<Record<StoreOperation, number>> = { total: 0 };
    for (const [operation, count] of this.counts) {
      result[operation] = count;
      result.total += count;
    }
    return result;
  }

  reset(): void {
    this.counts = new Map();
  }

  /** Counts the store calls made while `work` runs (alone: concurrent work would be counted too). */
  async measure<T>(work: () => Promise<T>): Promise<{ result: T; calls: number }> {
    this.reset();
    const result = await work();
    return { result, calls: this.snapshot().total };
  }

  get(key: string) {
    this.count('get');
    return this.inner.get(key);
  }

  set(key: string, value: string, ttlSeconds: number) {
    this.count('set');
    return this.inner.set(key, value, ttlSeconds);
  }

  add(key: string, value: string, ttlSeconds: number) {
    this.count('add');
    return this.inner.add(key, value, ttlSeconds);
  }

  replace(key: string, value: string, ttlSeconds: number) {
    this.count('replace');
    return this.inner.replace(key, value, ttlSeconds);
  }

  increment(key: string, by: number, options: { initial: number; ttlSeconds: number }) {
    this.count('increment');
    return this.inner.increment(key, by, options);
  }

  decrement(key: string, by: number, options: { initial: number; ttlSeconds: number }) {
    this.count('decrement');
    return this.inner.decrement(key, by, options);
  }

  delete(key: string) {
    this.count('delete');
    return this.inner.delete(key);
  }

  touch(key: string, ttlSeconds: number) {
    this.count('touch');
    return this.inner.touch(key, ttlSeconds);
  }

  ping() {
    this.count('ping');
    return this.inner.ping();
  }

  close() {
    return this.inner.close();
  }

  private count(operation: StoreOperation): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
  }
}
