import { InMemoryStore } from '@servicekit/api/store';
import { CountingStore } from '@servicekit/api/store/testing';
import { DueList } from './due-list';

interface Work {
  at: number;
  id: string;
}

/** Fake timers drive Date.now, the store's clock and every instance's sweeps together: no test waits in real time. */
describe('DueList', () => {
  let store: InMemoryStore;
  const lists: DueList<Work>[] = [];

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2030-01-01T09:00:00Z') });
    store = new InMemoryStore({ now: () => Date.now() });
  });

  afterEach(async () => {
    lists.splice(0).forEach((list) => list.stop());
    await store.close();
    jest.useRealTimers();
  });

  /** One API instance's list: it notes what it handled, and the outcome is decided once by `add`, as the owners do. */
  function instance(handle: (work: Work) => Promise<void> = async () => undefined) {
    const handled: string[] = [];
    const won: string[] = [];
    const list = new DueList<Work>(store, {
      name: 't',
      handle: async (work) => {
        await handle(work);
        handled.push(work.id);
        if (await store.add(`outcome:${work.id}`, 'done', 60)) won.push(work.id);
      },
    });
    lists.push(list);
    return { list, handled, won };
  }

  it('should do the work once it is due, within a bucket and a sweep, and not before', async () => {
    const a = instance();
    await a.list.start();
    await a.list.schedule({ at: Date.now() + 5_000, id: 'w1' });

    await jest.advanceTimersByTimeAsync(4_999);
    expect(a.handled).toEqual([]);
    await jest.advanceTimersByTimeAsync(250 + 100 + 1);
    expect(a.handled).toEqual(['w1']);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(a.handled).toEqual(['w1']);
  });

  it('should let the other instances do the work of one that stopped, with exactly one outcome', async () => {
    const claimer = instance();
    const others = [instance(), instance(), instance()];
    for (const each of [claimer, ...others]) await each.list.start();
    await claimer.list.schedule({ at: Date.now() + 2_000, id: 'no-show' });
    // SIGKILL or a graceful stop: its timers are gone, the entry is in the store.
    claimer.list.stop();

    await jest.advanceTimersByTimeAsync(2_000 + 750);

    expect(claimer.handled).toEqual([]);
    expect(others.map((other) => other.handled)).toEqual([['no-show'], ['no-show'], ['no-show']]);
    expect(others.flatMap((other) => other.won)).toEqual(['no-show']);
  });

  it('should catch up, after every instance was down, on the work that fell due meanwhile', async () => {
    const before = instance();
    await before.list.start();
    await before.list.schedule({ at: Date.now() + 1_000, id: 'late' });
    await jest.advanceTimersByTimeAsync(2_000);
    await before.list.schedule({ at: Date.now() + 1_000, id: 'missed' });
    before.list.stop();

    await jest.advanceTimersByTimeAsync(30_000);
    const after = instance();
    await after.list.start();
    await jest.advanceTimersByTimeAsync(250);

    expect(before.handled).toEqual(['late']);
    // The hint may lag a little behind the last sweep: work done twice is harmless, work missed is not.
    expect(after.handled).toContain('missed');
    expect([...before.won, ...after.won]).toEqual(['late', 'missed']);
  });

  it('should do work scheduled for the past at the next sweeps', async () => {
    const a = instance();
    await a.list.start();
    await a.list.schedule({ at: Date.now() - 60_000, id: 'overdue' });
    await jest.advanceTimersByTimeAsync(750);
    expect(a.handled).toEqual(['overdue']);
  });

  it('should retry work that failed, and not hold up the rest meanwhile', async () => {
    let failures = 2;
    const a = instance(async (work) => {
      if (work.id === 'flaky' && failures-- > 0) throw new Error('store timeout');
    });
    await a.list.start();
    await a.list.schedule({ at: Date.now() + 1_000, id: 'flaky' });
    await a.list.schedule({ at: Date.now() + 3_000, id: 'later' });

    // Due at +1 s: its bucket closes at +1.25 s; the sweeps at +1.3 s and +1.4 s fail, the one at +1.5 s works.
    await jest.advanceTimersByTimeAsync(1_400);
    expect(a.handled).toEqual([]);
    await jest.advanceTimersByTimeAsync(100);
    expect(a.handled).toEqual(['flaky']);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(a.handled).toEqual(['flaky', 'later']);
  });

  it('should give up an entry whose writer died between counting and writing it, and go on', async () => {
    const a = instance();
    await a.list.start();
    // What a writer leaves when it dies after the increment: a counter with no entry behind it.
    const bucket = Math.floor((Date.now() + 1_000) / 250);
    await store.increment(`due:t:${bucket}:n`, 1, { initial: 1, ttlSeconds: 600 });
    await a.list.schedule({ at: Date.now() + 1_000, id: 'behind' });

    await jest.advanceTimersByTimeAsync(1_750);
    expect(a.handled).toEqual(['behind']);
    await jest.advanceTimersByTimeAsync(5_000);
    await a.list.schedule({ at: Date.now() + 1_000, id: 'next' });
    await jest.advanceTimersByTimeAsync(1_750);
    expect(a.handled).toEqual(['behind', 'next']);
  });

  it('should cost an idle instance two reads per bucket, and nothing in the sweeps between', async () => {
    const counted = new CountingStore(store);
    const list = new DueList<Work>(counted, { name: 'idle', handle: async () => undefined });
    lists.push(list);
    await list.start();
    await jest.advanceTimersByTimeAsync(10_000);
    counted.reset();
    await jest.advanceTimersByTimeAsync(10_000);
    // 40 buckets of 250 ms, each counter read twice; the hint once a second.
    expect(counted.snapshot()).toEqual({ total: 90, get: 80, set: 10 });
  });

  it('should do every one of many entries at random times on every instance, each with one outcome', async () => {
    const seed = Number(process.env['DUE_LIST_SEED'] ?? Date.now() % 1_000_000);
    process.stdout.write(`DueList storm: DUE_LIST_SEED=${seed}\n`);
    let state = seed;
    const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const instances = [instance(), instance()];
    for (const each of instances) await each.list.start();
    const ids = Array.from({ length: 300 }, (_, i) => `w${i}`);
    const start = Date.now();
    await Promise.all(
      ids.map((id) => {
        const by = instances[Math.floor(random() * instances.length)] ?? instances[0];
        return by?.list.schedule({ at: start + Math.floor(random() * 20_000), id }) ?? Promise.resolve();
      }),
    );

    await jest.advanceTimersByTimeAsync(21_000);

    try {
      for (const each of instances) expect([...each.handled].sort()).toEqual([...ids].sort());
      expect(instances.flatMap((each) => each.won).sort()).toEqual([...ids].sort());
    } catch (error) {
      throw new Error(`Failed with DUE_LIST_SEED=${seed}: ${(error as Error).message}`);
    }
  });
});
