import { KeyValueStore } from '../lib/key-value-store';
import { StoreError } from '../lib/store.error';

type CounterOptions = { initial: number; ttlSeconds: number };

/**
 * A Memcached that cannot be reached: every call rejects with the StoreError an adapter gives for it, and
 * close() succeeds. For the paths that must turn a store outage into a clear answer instead of a crash.
 */
export class UnreachableStore extends KeyValueStore {
  readonly description: string;

  constructor(private readonly address = '127.0.0.1:1') {
    super();
    this.description = `memcached (${address})`;
  }

  get(_key: string): Promise<string | null> {
    return this.refuse();
  }
  set(_key: string, _value: string, _ttlSeconds: number): Promise<void> {
    return this.refuse();
  }
  add(_key: string, _value: string, _ttlSeconds: number): Promise<boolean> {
    return this.refuse();
  }
  replace(_key: string, _value: string, _ttlSeconds: number): Promise<boolean> {
    return this.refuse();
  }
  increment(_key: string, _by: number, _options: CounterOptions): Promise<number> {
    return this.refuse();
  }
  decrement(_key: string, _by: number, _options: CounterOptions): Promise<number> {
    return this.refuse();
  }
  delete(_key: string): Promise<boolean> {
    return this.refuse();
  }
  touch(_key: string, _ttlSeconds: number): Promise<boolean> {
    return this.refuse();
  }
  ping(): Promise<number> {
    return this.refuse();
  }
  async close(): Promise<void> {
    // Nothing to release: there never was a connection.
  }

  private refuse(): Promise<never> {
    return Promise.reject(new StoreError('unavailable', `Memcached at ${this.address} refused the connection.`));
  }
}
