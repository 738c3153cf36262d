import { RecordingNotifier } from '@servicekit/api/match/testing';
import { InMemoryStore } from '@servicekit/api/store';
import { helpSessionsOn } from '../testing';
import { HelpSessionRecovery, SessionKit } from './help-session.recovery';

/** One API instance on a store: what it takes to run help sessions and to restore them. */
function instance(store: InMemoryStore, notifier: RecordingNotifier) {
  const { records, queue, matches, sessions, presence } = helpSessionsOn(store, { notifier });
  const recovery = new HelpSessionRecovery(records, matches, queue, presence, notifier, store);
  return { queue, matches, sessions, recovery };
}

/**
 * A memcached restart: the instances go on with an empty store, each remembering the customers connected to
 * it (their kits). Fake timers drive the settling time of the rebuild.
 */
describe('HelpSessionRecovery', () => {
  const grace = { repId: 'rep_grace', name: 'Grace' };
  const alan = { repId: 'rep_alan', name: 'Alan' };
  let before: InMemoryStore;
  let after: InMemoryStore;
  let notifier: RecordingNotifier;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2030-01-01T09:00:00Z') });
    before = new InMemoryStore({ now: () => Date.now() });
    after = new InMemoryStore({ now: () => Date.now() });
    notifier = new RecordingNotifier();
  });

  afterEach(async () => {
    await Promise.all([before.close(), after.close()]);
    jest.useRealTimers();
  });

  it('should queue the waiting and reserved customers again in their old order, ahead of newcomers, and keep calls going', async () => {
    const old = instance(before, notifier);
    const ids: Record<string, string> = {};
    for (const name of ['inCall', 'reserved', 'first', 'second', 'third', 'offline']) {
      ids[name] = (await old.sessions.create(`${name} person`, `${name} problem`)).id;
      await old.sessions.enqueue(ids[name] ?? '');
      await jest.advanceTimersByTimeAsync(1000);
    }
    const call = await old.matches.claimNext(grace);
    await old.matches.mediaConnected(ids['inCall'] ?? '', call?.matchId ?? '', 'customer');
    await old.matches.mediaConnected(ids['inCall'] ?? '', call?.matchId ?? '', 'rep');
    await old.matches.claimNext(alan);
    // Two instances hold the sockets; the customer who is offline right now is known to neither.
    const kitsOf = async (names: string[]) =>
      (await Promise.all(names.map((name) => old.recovery.kit(ids[name] ?? '')))).filter((kit): kit is SessionKit => kit !== null);
    const onA = await kitsOf(['third', 'inCall', 'first']);
    const onB = await kitsOf(['second', 'reserved']);
    expect(onA.map((kit) => kit.customer.customerName)).toEqual(['third person', 'inCall person', 'first person']);

    const a = instance(after, notifier);
    const b = instance(after, notifier);
    await b.recovery.restore(onB, 'e2');
    await a.recovery.restore(onA, 'e2');
    // Someone asks for help while the queue is being rebuilt.
    const newcomer = (await a.sessions.create('New', 'Just arrived')).id;
    await a.sessions.enqueue(newcomer);
    await jest.advanceTimersByTimeAsync(2000);

    const order = (await a.queue.waiting()).map((entry) => entry.helpSessionId);
    expect(order).toEqual([ids['reserved'], ids['first'], ids['second'], ids['third'], newcomer]);
    await expect(a.sessions.personalData(ids['second'] ?? '')).resolves.toEqual({
      customerName: 'second person',
      problemText: 'second problem',
    });
    await expect(a.sessions.customerState(ids['offline'] ?? '')).resolves.toEqual({ state: 'idle' });
    await expect(a.sessions.personalData(ids['offline'] ?? '')).resolves.toBeNull();
    // The call goes on and ends as any call does; the rep whose reservation was lost hears so.
    await expect(b.sessions.customerState(ids['inCall'] ?? '')).resolves.toMatchObject({ state: 'in-call', matchId: call?.matchId });
    await b.sessions.end(ids['inCall'] ?? '', 'rep-ended');
    await expect(b.sessions.personalData(ids['inCall'] ?? '')).resolves.toBeNull();
    expect(notifier.reps.filter((r) => r.repId === alan.repId).at(-1)?.state).toEqual({ state: 'available', waiting: 0 });
    // The customers restored keep their original enqueue time.
    expect((await a.matches.claimNext(alan))?.helpSession).toMatchObject({ id: ids['reserved'], waitedMs: 7000 });
  });

  it('should write nothing back when the store did not lose the help sessions (a false alarm)', async () => {
    const one = instance(before, notifier);
    const { id } = await one.sessions.create('Ada', 'Router blinks');
    await one.sessions.enqueue(id);
    const kit = await one.recovery.kit(id);
    await one.recovery.restore(kit ? [kit] : [], 'e2');
    await jest.advanceTimersByTimeAsync(2000);
    expect((await one.queue.waiting()).map((entry) => entry.helpSessionId)).toEqual([id]);
    await one.sessions.end(id, 'customer-ended');
    await expect(one.recovery.kit(id)).resolves.toBeNull();
  });

  it('should queue a customer reported after the rebuild behind those it placed', async () => {
    const old = instance(before, notifier);
    const first = (await old.sessions.create('First', 'a')).id;
    await old.sessions.enqueue(first);
    const late = (await old.sessions.create('Late', 'b')).id;
    await old.sessions.enqueue(late);
    const [firstKit, lateKit] = await Promise.all([old.recovery.kit(first), old.recovery.kit(late)]);

    const a = instance(after, notifier);
    await a.recovery.restore(firstKit ? [firstKit] : [], 'e2');
    await jest.advanceTimersByTimeAsync(2000);
    await a.recovery.restore(lateKit ? [lateKit] : [], 'e2');

    expect((await a.queue.waiting()).map((entry) => entry.helpSessionId)).toEqual([first, late]);
  });
});
