import { performance } from 'node:perf_hooks';
import { KeyValueStore } from './key-value-store';
import { checkCount, checkKeyPrefix, checkTtl, checkValue, fullKey } from './store-arguments';
import { StoreError } from './store.error';

export interface InMemoryStoreOptions {
  /** Put in front of every key, as MemcachedStore does. */
  keyPrefix?: string;
  /** The clock in ms (default Date.now), for tests that move time without sleeping. */
  now?: () => number;
  /** How often expired keys are swept out (default 30 s; they are also dropped when read). */
  sweepIntervalMs?: number;
}

interface Item {
  value: string;
  expiresAt: number;
}

/** Memcached counters are unsigned 64-bit and wrap around. */
const COUNTER_MODULUS = 2n ** 64n;

/**
 * The embedded default: Memcached semantics in one process (atomicity comes free, JavaScript runs one
 * call at a time). State is lost on restart and not shared between instances: use Memcached for that.
 */
export class InMemoryStore extends KeyValueStore {
  readonly description: string = 'in-memory';
  private readonly items = new Map<string, Item>();
  private readonly prefix: string;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(options: InMemoryStoreOptions = {}) {
    super();
    this.prefix = checkKeyPrefix(options.keyPrefix ?? '');
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 30_000);
    // The sweep alone must not keep the process alive.
    this.sweeper.unref();
  }

  /** Keys held in memory, expired ones included until swept or read (for tests and metrics). */
  get size(): number {
    return this.items.size;
  }

  async get(key: string): Promise<string | null> {
    const k = this.key(key);
    return this.live(k)?.value ?? null;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    const k = this.key(key);
    this.put(k, checkValue(value), checkTtl(ttlSeconds));
  }

  async add(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    const k = this.key(key);
    checkValue(value);
    checkTtl(ttlSeconds);
    if (this.live(k)) return false;
    this.put(k, value, ttlSeconds);
    return true;
  }

  async replace(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    const k = this.key(key);
    checkValue(value);
    checkTtl(ttlSeconds);
    if (!this.live(k)) return false;
    this.put(k, value, ttlSeconds);
    return true;
  }

  async increment(key: string, by: number, options: { initial: number; ttlSeconds: number }): Promise<number> {
    return this.count(key, by, options, (current, amount) => (current + amount) % COUNTER_MODULUS);
  }

  async decrement(key: string, by: number, options: { initial: number; ttlSeconds: number }): Promise<number> {
    return this.count(key, by, options, (current, amount) => (current > amount ? current - amount : 0n));
  }

  async delete(key: string): Promise<boolean> {
    const k = this.key(key);
    const existed = this.live(k) !== undefined;
    this.items.delete(k);
    return existed;
  }

  async touch(key: string, ttlSeconds: number): Promise<boolean> {
    const k = this.key(key);
    checkTtl(ttlSeconds);
    const item = this.live(k);
    if (!item) return false;
    item.expiresAt = this.now() + ttlSeconds * 1000;
    return true;
  }

  async ping(): Promise<number> {
    const started = performance.now();
    this.checkOpen();
    return performance.now() - started;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
  }

  private count(
    key: string,
    by: number,
    options: { initial: number; ttlSeconds: number },
    apply: (current: bigint, amount: bigint) => bigint,
  ): number {
    const k = this.key(key);
    checkCount(by, options);
    const item = this.live(k);
    if (!item) {
      this.put(k, String(options.initial), options.ttlSeconds);
      return options.initial;
    }
    const current = parseCounter(item.value);
    if (current === undefined) {
      throw new StoreError('protocol', `The store key "${k}" does not hold a counter, so it cannot be incremented or decremented.`);
    }
    const next = apply(current, BigInt(by));
    const digits = next.toString();
    // Memcached rewrites a counter in place when the new digits fit, padding with spaces ("10" - 1 reads "9 ").
    item.value = digits.length <= item.value.length ? digits.padEnd(item.value.length, ' ') : digits;
    return Number(next);
  }

  /** Validates (and prefixes) the key; every call goes through here first, so a closed store refuses them all. */
  private key(key: string): string {
    this.checkOpen();
    return fullKey(this.prefix, key);
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('unavailable', 'The in-memory store was closed; it accepts no more calls.');
  }

  private put(key: string, value: string, ttlSeconds: number): void {
    this.items.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  private live(key: string): Item | undefined {
    const item = this.items.get(key);
    if (item && item.expiresAt <= this.now()) {
      this.items.delete(key);
      return undefined;
    }
    return item;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, item] of this.items) if (item.expiresAt <= now) this.items.delete(key);
  }
}

/** What Memcached accepts as a counter: decimal digits, optionally ending at white space, below 2^64. */
function parseCounter(value: string): bigint | undefined {
  const match = /^\s*(\d{1,20})(?:\s|$)/.exec(value);
  if (!match) return undefined;
  const number = BigInt(match[1] ?? '0');
  return number < COUNTER_MODULUS ? number : undefined;
}
