import { loadServiceKitConfig } from '@servicekit/api/config';
import { InMemoryStore, KeyValueStore, MemcachedStore } from '@servicekit/api/store';
import { startMemcached, type MemcachedServer } from '@servicekit/tools/testing';
import { RepAwayError, RepStatusService, RepWrapUpError } from './rep-status';

/** Remembers the TTL of every key written, so the test can see that none is written without one. */
class TtlWatch extends KeyValueStore {
  readonly ttls = new Map<string, number>();
  constructor(private readonly inner: KeyValueStore) {
    super();
  }
  get description(): string {
    return this.inner.description;
  }
  get(key: string): Promise<string | null> {
    return this.inner.get(key);
  }
  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.ttls.set(key, ttlSeconds);
    await this.inner.set(key, value, ttlSeconds);
  }
  add(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    this.ttls.set(key, ttlSeconds);
    return this.inner.add(key, value, ttlSeconds);
  }
  replace(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    this.ttls.set(key, ttlSeconds);
    return this.inner.replace(key, value, ttlSeconds);
  }
  increment(key: string, by: number, options: { initial: number; ttlSeconds: number }): Promise<number> {
    this.ttls.set(key, options.ttlSeconds);
    return this.inner.increment(key, by, options);
  }
  decrement(key: string, by: number, options: { initial: number; ttlSeconds: number }): Promise<number> {
    this.ttls.set(key, options.ttlSeconds);
    return this.inner.decrement(key, by, options);
  }
  delete(key: string): Promise<boolean> {
    return this.inner.delete(key);
  }
  touch(key: string, ttlSeconds: number): Promise<boolean> {
    return this.inner.touch(key, ttlSeconds);
  }
  ping(): Promise<number> {
    return this.inner.ping();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

let memcached: MemcachedServer;
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(async () => {
  await memcached?.stop();
});

let prefixes = 0;
const stores: [string, () => KeyValueStore][] = [
  ['InMemoryStore', () => new InMemoryStore()],
  ['MemcachedStore', () => new MemcachedStore({ servers: [memcached.address], keyPrefix: `rst${++prefixes}${Date.now()}:` })],
];

describe.each(stores)('RepStatusService on %s', (_, makeStore) => {
  const NOW = 1_800_000_000_000;
  let store: TtlWatch;
  const service = (wrapUpMs: number) =>
    new RepStatusService(store, loadServiceKitConfig({ WRAP_UP_MS: String(wrapUpMs), REP_SESSION_MAX_MS: String(8 * 3_600_000) }));

  beforeEach(() => {
    store = new TtlWatch(makeStore());
  });
  afterEach(async () => {
    await store.close();
  });

  it('should say available for a rep who just signed in, and let them take a customer', async () => {
    const status = service(0);
    await expect(status.read('rep_1_a', NOW)).resolves.toEqual({ status: 'available', chosen: 'available' });
    await expect(status.assertCanTakeCustomer('rep_1_a', NOW)).resolves.toBeUndefined();
  });

  it('should keep away until the rep sets available, refusing customers with rep_away meanwhile', async () => {
    const status = service(0);
    await expect(status.choose('rep_1_a', 'away', NOW)).resolves.toEqual({ status: 'away', chosen: 'away' });
    await expect(status.read('rep_2_b', NOW)).resolves.toMatchObject({ status: 'available' });
    const refusal = await status.assertCanTakeCustomer('rep_1_a', NOW).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RepAwayError);
    expect(refusal).toMatchObject({ code: 'rep_away', message: 'You are set to away. Set yourself available to take customers.' });
    await expect(status.choose('rep_1_a', 'available', NOW)).resolves.toEqual({ status: 'available', chosen: 'available' });
    await expect(status.assertCanTakeCustomer('rep_1_a', NOW)).resolves.toBeUndefined();
  });

  it('should be in-call from the reservation on, whatever the rep chose, and back to the choice after', async () => {
    const status = service(0);
    await status.callStarted('rep_1_a');
    await expect(status.read('rep_1_a', NOW)).resolves.toEqual({ status: 'in-call', chosen: 'available' });
    await status.choose('rep_1_a', 'away', NOW);
    await expect(status.read('rep_1_a', NOW)).resolves.toEqual({ status: 'in-call', chosen: 'away' });
    await status.callEnded('rep_1_a', NOW);
    await expect(status.read('rep_1_a', NOW)).resolves.toEqual({ status: 'away', chosen: 'away' });
  });

  it('should be available at once after a call when WRAP_UP_MS is 0', async () => {
    const status = service(0);
    await status.callStarted('rep_1_a');
    await status.callEnded('rep_1_a', NOW);
    await expect(status.read('rep_1_a', NOW)).resolves.toEqual({ status: 'available', chosen: 'available' });
  });

  it('should hold wrap-up for WRAP_UP_MS after a call, refusing with the seconds left, then be available', async () => {
    const status = service(2000);
    await status.callStarted('rep_1_a');
    await status.callEnded('rep_1_a', NOW);
    await expect(status.read('rep_1_a', NOW + 500)).resolves.toEqual({
      status: 'wrap-up',
      chosen: 'available',
      wrapUpEndsAt: new Date(NOW + 2000).toISOString(),
      wrapUpMsLeft: 1500,
    });
    const refusal = await status.assertCanTakeCustomer('rep_1_a', NOW + 500).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RepWrapUpError);
    expect(refusal).toMatchObject({
      code: 'rep_wrap_up',
      message: 'You are in wrap-up after your last call. You can take the next customer in 2 seconds.',
    });
    await expect(status.read('rep_1_a', NOW + 2000)).resolves.toEqual({ status: 'available', chosen: 'available' });
    await expect(status.assertCanTakeCustomer('rep_1_a', NOW + 2000)).resolves.toBeUndefined();
  });

  it('should start no wrap-up for a reservation that never became a call', async () => {
    const status = service(60_000);
    await status.callStarted('rep_1_a');
    await status.callDropped('rep_1_a');
    await expect(status.read('rep_1_a', NOW)).resolves.toEqual({ status: 'available', chosen: 'available' });
  });

  it('should forget everything at sign-out, and write every key with a TTL', async () => {
    const status = service(2000);
    await status.choose('rep_1_a', 'away', NOW);
    await status.callStarted('rep_1_a');
    await status.callEnded('rep_1_a', NOW);
    expect(Object.fromEntries(store.ttls)).toEqual({ 'rst:rep_1_a': 8 * 3600, 'rsc:rep_1_a': 4 });
    await status.forget('rep_1_a');
    await expect(Promise.all([store.get('rst:rep_1_a'), store.get('rsc:rep_1_a')])).resolves.toEqual([null, null]);
    await expect(status.read('rep_1_a', NOW)).resolves.toEqual({ status: 'available', chosen: 'available' });
  });
});
