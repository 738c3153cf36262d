import { randomUUID } from 'node:crypto';
import { waitFor } from '@servicekit/tools/testing';
import { KeyValueStore } from '../lib/key-value-store';
import { MAX_KEY_BYTES, MAX_TTL_SECONDS, MAX_VALUE_BYTES } from '../lib/store-arguments';
import { StoreError } from '../lib/store.error';

export interface ContractSubject {
  store: KeyValueStore;
  /** Moves the store's clock forward; without it the TTL cases wait in real time (about 2 s each). */
  advanceTime?: (ms: number) => void;
}

/** Make a fresh store per test; `keyPrefix` is unique per test, so stores on a shared server do not collide. */
export type ContractSubjectFactory = (keyPrefix: string) => ContractSubject | Promise<ContractSubject>;

const TTL = 60;
const counter = { initial: 0, ttlSeconds: TTL };
/** TTLs have a one-second resolution in Memcached (TTL 2 expires 1 to 2 s later): wait on the outcome, bounded. */
const EXPIRY_BOUND_MS = 4500;

/**
 * The semantics every KeyValueStore adapter must have: one suite, run against InMemoryStore and against a
 * real memcached.
 */
export function describeKeyValueStoreContract(name: string, makeSubject: ContractSubjectFactory): void {
  // Unique per run (not a random decision): keeps runs on a shared memcached apart.
  const run = randomUUID().slice(0, 6);
  let tests = 0;

  describe(`${name} (KeyValueStore contract)`, () => {
    let subject: ContractSubject;
    let store: KeyValueStore;
    let keyPrefix: string;

    beforeEach(async () => {
      keyPrefix = `c${run}-${++tests}:`;
      subject = await makeSubject(keyPrefix);
      store = subject.store;
    });

    afterEach(async () => {
      await store.close();
    });

    /** Polls until `condition` holds, moving a fake clock when the subject has one. */
    async function waitForTime(condition: () => Promise<boolean>, message: string): Promise<void> {
      const advance = subject.advanceTime;
      if (!advance) {
        await waitFor(condition, { timeoutMs: EXPIRY_BOUND_MS, intervalMs: 100, message });
        return;
      }
      for (let elapsed = 0; !(await condition()); elapsed += 250) {
        if (elapsed >= EXPIRY_BOUND_MS) throw new Error(`${message} did not happen within ${EXPIRY_BOUND_MS} ms of store time.`);
        advance(250);
      }
    }

    const isGone = (key: string) => async () => (await store.get(key)) === null;

    it('should describe itself', () => {
      expect(store.description).toEqual(expect.any(String));
      expect(store.description.length).toBeGreaterThan(0);
    });

    it('should return null for a missing key', async () => {
      await expect(store.get('missing')).resolves.toBeNull();
    });

    it('should read back what was set, unicode and the empty string included', async () => {
      await store.set('plain', 'value', TTL);
      await store.set('unicode', 'zweite — 😀', TTL);
      await store.set('empty', '', TTL);

      await expect(store.get('plain')).resolves.toBe('value');
      await expect(store.get('unicode')).resolves.toBe('zweite — 😀');
      await expect(store.get('empty')).resolves.toBe('');
    });

    it('should overwrite on set', async () => {
      await store.set('k', 'first', TTL);
      await store.set('k', 'second', TTL);

      await expect(store.get('k')).resolves.toBe('second');
    });

    it('should add only when the key is absent', async () => {
      await expect(store.add('k', 'one', TTL)).resolves.toBe(true);
      await expect(store.add('k', 'two', TTL)).resolves.toBe(false);

      await expect(store.get('k')).resolves.toBe('one');
    });

    it('should let exactly one of 50 concurrent adds win', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.add('race', `w${i}`, TTL)));

      expect(results.filter(Boolean)).toHaveLength(1);
      await expect(store.get('race')).resolves.toBe(`w${results.indexOf(true)}`);
    });

    it('should replace only when the key is present', async () => {
      await expect(store.replace('k', 'x', TTL)).resolves.toBe(false);
      await expect(store.get('k')).resolves.toBeNull();

      await store.set('k', 'a', TTL);
      await expect(store.replace('k', 'b', TTL)).resolves.toBe(true);
      await expect(store.get('k')).resolves.toBe('b');
    });

    it('should create a counter with its initial value and then count up', async () => {
      await expect(store.increment('n', 1, { initial: 1, ttlSeconds: TTL })).resolves.toBe(1);
      await expect(store.increment('n', 1, { initial: 1, ttlSeconds: TTL })).resolves.toBe(2);
      await expect(store.increment('n', 5, { initial: 1, ttlSeconds: TTL })).resolves.toBe(7);

      await expect(store.get('n')).resolves.toBe('7');
    });

    it('should count on a number that was set as text', async () => {
      await store.set('n', '41', TTL);

      await expect(store.increment('n', 1, counter)).resolves.toBe(42);
    });

    it('should hand out 200 distinct values to 200 concurrent increments', async () => {
      const values = await Promise.all(Array.from({ length: 200 }, () => store.increment('seq', 1, { initial: 1, ttlSeconds: TTL })));

      expect(new Set(values).size).toBe(200);
      expect(Math.min(...values)).toBe(1);
      expect(Math.max(...values)).toBe(200);
    });

    it('should create a counter on decrement and never go below zero', async () => {
      await expect(store.decrement('d', 1, { initial: 3, ttlSeconds: TTL })).resolves.toBe(3);
      await expect(store.decrement('d', 2, { initial: 3, ttlSeconds: TTL })).resolves.toBe(1);
      await expect(store.decrement('d', 5, { initial: 3, ttlSeconds: TTL })).resolves.toBe(0);
      await expect(store.get('d')).resolves.toBe('0');
    });

    it('should pad a counter that gets shorter with spaces, as Memcached does, and keep counting on it', async () => {
      await store.set('d', '10', TTL);

      await expect(store.decrement('d', 1, counter)).resolves.toBe(9);
      await expect(store.get('d')).resolves.toBe('9 ');
      await expect(store.increment('d', 91, counter)).resolves.toBe(100);
      await expect(store.get('d')).resolves.toBe('100');
    });

    it('should refuse to count a value that is not a counter', async () => {
      await store.set('text', 'hello', TTL);

      await expect(store.increment('text', 1, counter)).rejects.toMatchObject({ name: 'StoreError', reason: 'protocol' });
      await expect(store.decrement('text', 1, counter)).rejects.toMatchObject({ name: 'StoreError', reason: 'protocol' });
      await expect(store.get('text')).resolves.toBe('hello');
    });

    it('should delete and say whether the key existed', async () => {
      await store.set('k', 'v', TTL);

      await expect(store.delete('k')).resolves.toBe(true);
      await expect(store.delete('k')).resolves.toBe(false);
      await expect(store.get('k')).resolves.toBeNull();
    });

    it('should touch only existing keys', async () => {
      await expect(store.touch('k', TTL)).resolves.toBe(false);
      await expect(store.get('k')).resolves.toBeNull();

      await store.set('k', 'v', TTL);
      await expect(store.touch('k', 2 * TTL)).resolves.toBe(true);
      await expect(store.get('k')).resolves.toBe('v');
    });

    it('should expire keys after their TTL and apply a counter TTL only on creation', async () => {
      await store.set('short', 'v', 2);
      await store.add('short-add', 'v', 2);
      await store.increment('short-count', 1, { initial: 1, ttlSeconds: 2 });
      await store.set('long', 'v', TTL);
      await store.increment('long-count', 1, { initial: 1, ttlSeconds: TTL });
      await store.increment('long-count', 1, { initial: 1, ttlSeconds: 2 });
      await expect(store.get('short')).resolves.toBe('v');

      await waitForTime(
        async () => (await isGone('short')()) && (await isGone('short-add')()) && (await isGone('short-count')()),
        'the keys with a 2 s TTL to expire',
      );

      await expect(store.get('long')).resolves.toBe('v');
      await expect(store.get('long-count')).resolves.toBe('2');
      // An expired key is absent: add creates it again, replace and touch find nothing.
      await expect(store.replace('short', 'x', TTL)).resolves.toBe(false);
      await expect(store.touch('short-add', TTL)).resolves.toBe(false);
      await expect(store.add('short', 'again', TTL)).resolves.toBe(true);
    });

    it('should keep a touched key past its first TTL', async () => {
      await store.set('touched', 'v', 2);
      await store.set('untouched', 'v', 2);
      await expect(store.touch('touched', TTL)).resolves.toBe(true);

      await waitForTime(isGone('untouched'), 'the untouched key to expire');

      await expect(store.get('touched')).resolves.toBe('v');
    });

    describe('arguments', () => {
      const badKeys: [string, () => string][] = [
        ['an empty key', () => ''],
        ['a key over 250 bytes with its prefix', () => 'k'.repeat(MAX_KEY_BYTES + 1 - keyPrefix.length)],
        ['a key over 250 bytes in UTF-8', () => 'é'.repeat(Math.ceil((MAX_KEY_BYTES + 1 - keyPrefix.length) / 2))],
        ['a key with a space', () => 'two words'],
        ['a key with a newline', () => 'line\nbreak'],
        ['a key with a tab', () => 'tab\there'],
        ['a key with a control character', () => 'bell\u0007'],
      ];

      it.each(badKeys)('should reject %s in every call with StoreError invalid-key', async (_, makeKey) => {
        const key = makeKey();
        const calls: [string, () => Promise<unknown>][] = [
          ['get', () => store.get(key)],
          ['set', () => store.set(key, 'v', TTL)],
          ['add', () => store.add(key, 'v', TTL)],
          ['replace', () => store.replace(key, 'v', TTL)],
          ['increment', () => store.increment(key, 1, counter)],
          ['decrement', () => store.decrement(key, 1, counter)],
          ['delete', () => store.delete(key)],
          ['touch', () => store.touch(key, TTL)],
        ];
        for (const [call, invoke] of calls) {
          const error = await invoke().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect({ call, error }).toEqual({ call, error: expect.any(StoreError) });
          expect({ call, reason: (error as StoreError).reason }).toEqual({ call, reason: 'invalid-key' });
        }
      });

      it('should accept a key of exactly 250 bytes with its prefix', async () => {
        const key = 'k'.repeat(MAX_KEY_BYTES - keyPrefix.length);

        await store.set(key, 'v', TTL);

        await expect(store.get(key)).resolves.toBe('v');
      });

      it.each([0, -1, 1.5, Number.NaN, MAX_TTL_SECONDS + 1])('should reject a TTL of %s with StoreError invalid-argument', async (ttl) => {
        const invalid = { name: 'StoreError', reason: 'invalid-argument' };
        await expect(store.set('k', 'v', ttl)).rejects.toMatchObject(invalid);
        await expect(store.add('k', 'v', ttl)).rejects.toMatchObject(invalid);
        await expect(store.replace('k', 'v', ttl)).rejects.toMatchObject(invalid);
        await expect(store.touch('k', ttl)).rejects.toMatchObject(invalid);
        await expect(store.increment('k', 1, { initial: 0, ttlSeconds: ttl })).rejects.toMatchObject(invalid);
        await expect(store.get('k')).resolves.toBeNull();
      });

      it('should accept the longest TTL, 30 days', async () => {
        await store.set('k', 'v', MAX_TTL_SECONDS);

        await expect(store.get('k')).resolves.toBe('v');
      });

      it('should reject values that are not strings or are too large', async () => {
        const invalid = { name: 'StoreError', reason: 'invalid-argument' };
        await expect(store.set('k', 42 as unknown as string, TTL)).rejects.toMatchObject(invalid);
        await expect(store.add('k', null as unknown as string, TTL)).rejects.toMatchObject(invalid);
        await expect(store.set('k', 'x'.repeat(MAX_VALUE_BYTES + 1), TTL)).rejects.toMatchObject(invalid);
        await expect(store.get('k')).resolves.toBeNull();
      });

      it('should store the largest allowed value', async () => {
        const largest = 'x'.repeat(MAX_VALUE_BYTES);

        await store.set('large', largest, TTL);

        await expect(store.get('large')).resolves.toBe(largest);
      });

      it.each([-1, 0.5, 2 ** 32, Number.MAX_SAFE_INTEGER + 2])(
        'should reject %s as a counter amount or initial value with StoreError invalid-argument',
        async (bad) => {
          const invalid = { name: 'StoreError', reason: 'invalid-argument' };
          await expect(store.increment('n', bad, counter)).rejects.toMatchObject(invalid);
          await expect(store.increment('n', 1, { initial: bad, ttlSeconds: TTL })).rejects.toMatchObject(invalid);
          await expect(store.decrement('n', bad, counter)).rejects.toMatchObject(invalid);
          await expect(store.get('n')).resolves.toBeNull();
        },
      );
    });

    it('should answer a ping with its latency in ms', async () => {
      const latency = await store.ping();

      expect(latency).toEqual(expect.any(Number));
      expect(latency).toBeGreaterThanOrEqual(0);
    });

    it('should refuse calls after close with StoreError unavailable', async () => {
      await store.close();
      await store.close();

      await expect(store.get('k')).rejects.toMatchObject({ name: 'StoreError', reason: 'unavailable' });
      await expect(store.set('k', 'v', TTL)).rejects.toMatchObject({ reason: 'unavailable' });
      await expect(store.ping()).rejects.toMatchObject({ reason: 'unavailable' });
    });
  });
}
