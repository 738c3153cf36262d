import { StoreError } from './store.error';

export const MAX_KEY_BYTES = 250;
/** Memcached reads a larger TTL as an absolute Unix time. */
export const MAX_TTL_SECONDS = 30 * 24 * 60 * 60;
/**
 * Memcached's default item limit (1 MiB) counts the key and the item header too: with a 250-byte key it
 * stored 1 MiB - 512 bytes of value and refused 1 MiB - 300.
 */
export const MAX_VALUE_BYTES = 1024 * 1024 - 512;
/** memjs decodes counters of 2^32 and above wrongly. */
export const MAX_COUNTER = 2 ** 32 - 1;

/**
 * The checks both adapters make before anything reaches a server, so that both fail alike (and because
 * Memcached closes the connection on a bad key, which can leave a memjs request hanging).
 * Returns the key with its prefix.
 */
export function fullKey(prefix: string, key: string): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new StoreError('invalid-key', 'A store key must be a non-empty string.');
  }
  const full = prefix + key;
  const bytes = Buffer.byteLength(full, 'utf8');
  if (bytes > MAX_KEY_BYTES) {
    throw new StoreError(
      'invalid-key',
      `The store key "${full.slice(0, 40)}…" is ${bytes} bytes long with its prefix; Memcached allows ${MAX_KEY_BYTES}.`,
    );
  }
  if (hasSpaceOrControl(key)) {
    throw new StoreError('invalid-key', `The store key ${JSON.stringify(key.slice(0, 60))} contains white space or control characters.`);
  }
  return full;
}

/** Checked once, when a store is built, so that a bad prefix fails at start-up rather than on every call. */
export function checkKeyPrefix(prefix: string): string {
  if (typeof prefix !== 'string' || hasSpaceOrControl(prefix) || Buffer.byteLength(prefix, 'utf8') >= MAX_KEY_BYTES) {
    throw new StoreError(
      'invalid-argument',
      `The key prefix ${JSON.stringify(prefix)} must be shorter than ${MAX_KEY_BYTES} bytes, without white space or control characters.`,
    );
  }
  return prefix;
}

export function checkTtl(ttlSeconds: number): number {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new StoreError('invalid-argument', `A TTL must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS} (got ${ttlSeconds}).`);
  }
  return ttlSeconds;
}

export function checkValue(value: string): string {
  if (typeof value !== 'string') {
    throw new StoreError('invalid-argument', `Store values must be strings (got ${typeof value}); serialise objects first.`);
  }
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_VALUE_BYTES) {
    throw new StoreError('invalid-argument', `A store value must be at most ${MAX_VALUE_BYTES} bytes (got ${bytes}).`);
  }
  return value;
}

export function checkCount(by: number, options: { initial: number; ttlSeconds: number }): void {
  checkCounter('The amount', by);
  checkCounter('The initial value', options.initial);
  checkTtl(options.ttlSeconds);
}

function checkCounter(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_COUNTER) {
    throw new StoreError('invalid-argument', `${name} must be a whole number from 0 to ${MAX_COUNTER} (got ${value}).`);
  }
}

function hasSpaceOrControl(text: string): boolean {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code <= 0x20 || code === 0x7f || /\s/u.test(char)) return true;
  }
  return false;
}
