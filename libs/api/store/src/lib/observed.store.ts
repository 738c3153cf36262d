import { KeyValueStore } from './key-value-store';
import { StoreError } from './store.error';

/**
 * A KeyValueStore decorator that reports every failed call (a StoreError) with its operation, for
 * metrics, and passes everything else through unchanged.
 */
export class ObservedStore extends KeyValueStore {
  constructor(
    private readonly inner: KeyValueStore,
    private readonly onFailure: (operation: string, error: StoreError) => void,
  ) {
    super();
  }

  get description(): string {
    return this.inner.description;
  }

  get(key: string) {
    return this.observe('get', this.inner.get(key));
  }

  set(key: string, value: string, ttlSeconds: number) {
    return this.observe('set', this.inner.set(key, value, ttlSeconds));
  }

  add(key: string, value: string, ttlSeconds: number) {
    return this.observe('add', this.inner.add(key, value, ttlSeconds));
  }

  replace(key: string, value: string, ttlSeconds: number) {
    return this.observe('replace', this.inner.replace(key, value, ttlSeconds));
  }

  increment(key: string, by: number, options: { initial: number; ttlSeconds: number }) {
    return this.observe('increment', this.inner.increment(key, by, options));
  }

  decrement(key: string, by: number, options: { initial: number; ttlSeconds: number }) {
    return this.observe('decrement', this.inner.decrement(key, by, options));
  }

  delete(key: string) {
    return this.observe('delete', this.inner.delete(key));
  }

  touch(key: string, ttlSeconds: number) {
    return this.observe('touch', this.inner.touch(key, ttlSeconds));
  }

  ping() {
    return this.observe('ping', this.inner.ping());
  }

  close() {
    return this.inner.close();
  }

  private observe<T>(operation: string, call: Promise<T>): Promise<T> {
    return call.catch((error: unknown) => {
      if (error instanceof StoreError) this.onFailure(operation, error);
      throw error;
    });
  }
}
