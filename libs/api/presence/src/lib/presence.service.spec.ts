import { intakeFor } from '@servicekit/api/hours/testing';
import { loadServiceKitConfig } from '@servicekit/api/config';
import { ServiceKitMetrics } from '@servicekit/api/metrics';
import { HelpQueue } from '@servicekit/api/queue';
import { InMemoryStore, KeyValueStore } from '@servicekit/api/store';
import { CountingStore } from '@servicekit/api/store/testing';
import { shownPosition } from '@servicekit/contracts';
import { chooseSeed, seededRandom, waitFor } from '@servicekit/tools/testing';
import { fakeSocket, RecordingDepartures, RecordingRecovery, SettableRepActivity } from '../testing';
import { CustomerKits } from './customer-kits';
import { InstanceFigures } from './instance-figures';
import { InstanceInbox } from './instance-inbox';
import { InstanceRoster } from './instance-roster';
import { LeaseRecords } from './lease.records';
import { LocalSockets } from './local-sockets';
import { PositionPusher } from './position-pusher';
import { PresenceNotifier } from './presence.notifier';
import { PresenceService } from './presence.service';
import { StoreEpoch } from './store-epoch';

const GRACE_MS = 1000;
const REJOIN_MS = 5000;
/** Due work is done within a bucket (250 ms) and a sweep (100 ms) of its deadline. */
const DUE_WITHIN_MS = 500;
/** A dead instance is noticed once its heartbeat has not moved for 1.5 s, within the same slack. */
const DEATH_NOTICED_MS = 1500 + DUE_WITHIN_MS;
const config = loadServiceKitConfig({ PRESENCE_GRACE_MS: String(GRACE_MS), CALL_REJOIN_MS: String(REJOIN_MS) });
const customer = (id: string) => ({ kind: 'customer' as const, id });
const rep = (id: string) => ({ kind: 'rep' as const, id });

/** The presence classes of one API instance, wired as the presence module wires them. */
function presenceInstance(store: KeyValueStore) {
  const sockets = new LocalSockets();
  const roster = new InstanceRoster(store);
  const leases = new LeaseRecords(store, roster, config);
  const inbox = new InstanceInbox(store, sockets);
  const departures = new RecordingDepartures();
  const recovery = new RecordingRecovery();
  const activity = new SettableRepActivity();
  const kits = new CustomerKits(recovery, sockets);
  return {
    sockets,
    leases,
    inbox,
    departures,
    recovery,
    activity,
    notifier: new PresenceNotifier(sockets, inbox, leases),
    presence: new PresenceService(
      sockets,
      leases,
      inbox,
      roster,
      new StoreEpoch(store),
      kits,
      departures,
      recovery,
      new ServiceKitMetrics(),
      config,
      store,
    ),
    figures: new InstanceFigures(store, sockets, inbox, leases, activity),
  };
}

type Instance = ReturnType<typeof presenceInstance>;

/**
 * Several instances on one in-memory store, their clocks, heartbeats and sweeps driven by fake timers (no
 * test waits in real time). "Killing" an instance stops its timers and nothing else, as SIGKILL would.
 */
describe('presence', () => {
  let store: InMemoryStore;
  let instanceA: Instance;
  let instanceB: Instance;
  const started: Instance[] = [];

  async function start(instance: Instance): Promise<Instance> {
    await instance.inbox.onModuleInit();
    await instance.presence.onModuleInit();
    started.push(instance);
    return instance;
  }

  function kill(instance: Instance): void {
    instance.presence.onModuleDestroy();
    instance.inbox.onModuleDestroy();
  }

  beforeEach(async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T09:00:00Z') });
    store = new InMemoryStore({ now: () => Date.now() });
    instanceA = await start(presenceInstance(store));
    instanceB = await start(presenceInstance(store));
  });

  afterEach(async () => {
    for (const instance of started.splice(0)) {
      kill(instance);
      instance.figures.onModuleDestroy();
    }
    await store.close();
    jest.useRealTimers();
  });

  it('should give a queued customer the grace period to connect, and know who is present or away', async () => {
    await expect(instanceA.leases.check('hs1')).resolves.toBe('gone');
    await instanceA.leases.expect('hs1');
    await expect(instanceA.leases.check('hs1')).resolves.toBe('yes');
    const socket = fakeSocket('s1');
    await instanceA.presence.connected(customer('hs1'), socket);
    await expect(instanceB.figures.customersConnected(['hs1', 'hs2'])).resolves.toEqual([true, false]);
    await instanceA.presence.disconnected(customer('hs1'), socket);
    await expect(instanceB.leases.check('hs1')).resolves.toBe('later');
    expect(instanceA.departures.away).toEqual(['customer:hs1']);
  });

  it('should deliver a state change to the instance that holds the socket', async () => {
    const socket = fakeSocket('s1');
    await instanceB.presence.connected(rep('rep1'), socket);
    await instanceA.notifier.rep('rep1', { state: 'available', waiting: 3 });
    await jest.advanceTimersByTimeAsync(100);
    expect(socket.events).toContainEqual(['rep:state', { state: 'available', waiting: 3 }]);
    expect(instanceB.sockets.count()).toBe(1);
  });

  it('should add up every instance in the shared figures', async () => {
    await instanceA.presence.connected(rep('rep1'), fakeSocket('a'));
    await instanceB.presence.connected(rep('rep2'), fakeSocket('b'));
    await instanceB.presence.connected(customer('hs1'), fakeSocket('c'));
    await Promise.all([instanceA.figures.publish(), instanceB.figures.publish()]);
    await expect(instanceA.figures.snapshot()).resolves.toEqual({ repsOnline: 2, repsBusy: 0, callsInProgress: 0, openSockets: 3 });
  });

  it("should count the busy reps and calls the match reports for this instance's reps", async () => {
    await instanceA.presence.connected(rep('rep1'), fakeSocket('a'));
    await instanceA.presence.connected(rep('rep2'), fakeSocket('b'));
    instanceA.activity.busy.add('rep1').add('rep2');
    instanceA.activity.inCall.add('rep1');
    await instanceA.figures.publish();
    await expect(instanceB.figures.snapshot()).resolves.toEqual({ repsOnline: 2, repsBusy: 2, callsInProgress: 1, openSockets: 2 });
    await instanceA.figures.onApplicationShutdown();
    await expect(instanceB.figures.snapshot()).resolves.toEqual({ repsOnline: 0, repsBusy: 0, callsInProgress: 0, openSockets: 0 });
  });

  /** Every instance's Departures: who left, as any instance may confirm it. */
  const leftOn = (...instances: Instance[]) => [...new Set(instances.flatMap((instance) => instance.departures.left))].sort();

  it('should confirm the leave of someone who does not come back within the grace period, and not of one who does', async () => {
    const leaving = fakeSocket('leaving');
    const reloading = fakeSocket('reloading');
    await instanceA.presence.connected(customer('leaves'), leaving);
    await instanceA.presence.connected(rep('reloads'), reloading);
    await instanceA.presence.disconnected(customer('leaves'), leaving);
    await instanceA.presence.disconnected(rep('reloads'), reloading);
    // The rep's page comes back, on the other instance.
    await instanceB.presence.connected(rep('reloads'), fakeSocket('again'));
    expect(instanceB.departures.back).toEqual(['rep:reloads']);

    await jest.advanceTimersByTimeAsync(GRACE_MS - 1);
    expect(leftOn(instanceA, instanceB)).toEqual([]);
    await jest.advanceTimersByTimeAsync(DUE_WITHIN_MS);

    expect(leftOn(instanceA, instanceB)).toEqual(['customer:leaves']);
    await expect(instanceB.leases.check('leaves')).resolves.toBe('gone');
  });

  it('should confirm the leave on another instance when the one that saw the socket close dies before the deadline', async () => {
    const socket = fakeSocket('s1');
    await instanceA.presence.connected(customer('hs1'), socket);
    await instanceA.presence.disconnected(customer('hs1'), socket);
    kill(instanceA);

    await jest.advanceTimersByTimeAsync(GRACE_MS + DUE_WITHIN_MS);

    expect(instanceA.departures.left).toEqual([]);
    expect(instanceB.departures.left).toEqual(['customer:hs1']);
  });

  it('should treat the live connections of an instance that died as lost since its last beat, unless made again elsewhere', async () => {
    await instanceA.presence.connected(customer('gone'), fakeSocket('g'));
    await instanceA.presence.connected(customer('moves'), fakeSocket('m'));
    await instanceA.presence.connected(rep('rep1'), fakeSocket('r'));
    const diedAt = Date.now();
    kill(instanceA);
    // The client of one customer reconnects, through the load balancer, to B.
    await instanceB.presence.connected(customer('moves'), fakeSocket('m2'));

    await jest.advanceTimersByTimeAsync(Math.max(GRACE_MS, DEATH_NOTICED_MS));

    expect(leftOn(instanceB)).toEqual(['customer:gone', 'rep:rep1']);
    expect(Date.now() - diedAt).toBeLessThanOrEqual(GRACE_MS + 2000);
    await expect(instanceB.leases.check('moves')).resolves.toBe('yes');
  });

  it('should take over at once from an instance that stops gracefully, leaving those who reconnect alone', async () => {
    const staying = fakeSocket('s');
    const leaving = fakeSocket('l');
    await instanceA.presence.connected(customer('stays'), staying);
    await instanceA.presence.connected(customer('leaves'), leaving);
    await instanceA.presence.beforeApplicationShutdown();
    instanceA.presence.onApplicationShutdown();
    expect([staying.closed, leaving.closed]).toEqual([true, true]);
    await instanceA.presence.disconnected(customer('stays'), staying);
    await instanceA.presence.disconnected(customer('leaves'), leaving);
    await instanceB.presence.connected(customer('stays'), fakeSocket('s2'));
    // Its lease still names the stopped instance, which beats no more: kept in place, not offered to a rep.
    await expect(instanceB.leases.check('leaves')).resolves.toBe('later');
    await expect(instanceB.leases.check('stays')).resolves.toBe('yes');

    await jest.advanceTimersByTimeAsync(GRACE_MS + DUE_WITHIN_MS);

    expect(leftOn(instanceA, instanceB)).toEqual(['customer:leaves']);
    await expect(instanceB.leases.check('stays')).resolves.toBe('yes');
  });

  it('should give a participant in a confirmed call the rejoin window instead of the grace period', async () => {
    instanceA.departures.inCall.add('customer:caller');
    const socket = fakeSocket('c');
    await instanceA.presence.connected(customer('caller'), socket);
    await instanceA.presence.disconnected(customer('caller'), socket);

    await jest.advanceTimersByTimeAsync(GRACE_MS + DUE_WITHIN_MS);
    expect(leftOn(instanceA, instanceB)).toEqual([]);
    await expect(instanceB.leases.check('caller')).resolves.toBe('later');
    await jest.advanceTimersByTimeAsync(REJOIN_MS - GRACE_MS);

    expect(leftOn(instanceA, instanceB)).toEqual(['customer:caller']);
  });

  it('should confirm the leave even when a retried enqueue finds the lease gone and writes a fresh one', async () => {
    const socket = fakeSocket('s1');
    await instanceA.presence.connected(customer('hs1'), socket);
    await instanceA.presence.disconnected(customer('hs1'), socket);
    // Memcached's one-second resolution let the away lease expire early; then the page retries its enqueue.
    await instanceA.leases.delete(customer('hs1'));
    await instanceA.leases.expect('hs1');
    await expect(instanceA.leases.check('hs1')).resolves.toBe('yes');

    await jest.advanceTimersByTimeAsync(GRACE_MS + DUE_WITHIN_MS);

    expect(leftOn(instanceA, instanceB)).toEqual(['customer:hs1']);
  });

  it('should keep an away lease until after its deadline, so a retried enqueue cannot replace it', async () => {
    const socket = fakeSocket('s1');
    await instanceA.presence.connected(customer('hs1'), socket);
    await instanceA.presence.disconnected(customer('hs1'), socket);
    await jest.advanceTimersByTimeAsync(GRACE_MS - 1);
    await instanceA.leases.expect('hs1');
    await expect(instanceA.leases.check('hs1')).resolves.toBe('later');
  });

  it('should tell partners again that this instance’s participants are back after it stalled', async () => {
    await instanceA.presence.connected(customer('hs1'), fakeSocket('c'));
    await instanceA.presence.connected(rep('rep1'), fakeSocket('r'));
    // The event loop stalls for 3 s (no timer runs), long enough to be taken for dead.
    jest.setSystemTime(Date.now() + 3000);
    await jest.advanceTimersByTimeAsync(500);

    expect(instanceA.departures.back.sort()).toEqual(['customer:hs1', 'rep:rep1']);
    await expect(instanceB.leases.check('hs1')).resolves.toBe('yes');
  });

  it('should notice within a beat or two that the store lost its keys, and restore the customers connected here', async () => {
    await instanceA.presence.connected(customer('hs1'), fakeSocket('c1'));
    await instanceA.presence.connected(customer('hs2'), fakeSocket('c2'));
    await instanceB.presence.connected(customer('hs3'), fakeSocket('c3'));
    await instanceA.presence.connected(rep('rep1'), fakeSocket('r'));
    await jest.advanceTimersByTimeAsync(1000);
    expect(instanceA.recovery.restored).toEqual([]);

    // What a restart leaves: none of the keys, the epoch among them.
    await store.delete('epoch');
    await instanceA.leases.delete(customer('hs1'));
    await jest.advanceTimersByTimeAsync(1500);

    const epochs = [...instanceA.recovery.restored, ...instanceB.recovery.restored].map((restore) => restore.epoch);
    expect(instanceA.recovery.restored).toEqual([{ epoch: epochs[0], helpSessionIds: ['hs1', 'hs2'] }]);
    expect(instanceB.recovery.restored).toEqual([{ epoch: epochs[0], helpSessionIds: ['hs3'] }]);
    // The leases first: a rep's claim must not take the restored customers for gone.
    await expect(instanceB.leases.check('hs1')).resolves.toBe('yes');
  });
});

describe('presence store calls', () => {
  afterEach(() => jest.useRealTimers());

  it('should cost the same store calls per second idle whether it holds 1 socket or 200 (no lease renewed per socket)', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T09:00:00Z') });
    const idleCalls = async (sockets: number) => {
      const store = new CountingStore(new InMemoryStore({ now: () => Date.now() }));
      const instance = presenceInstance(store);
      await instance.inbox.onModuleInit();
      await instance.presence.onModuleInit();
      for (let i = 0; i < sockets; i++) await instance.presence.connected(customer(`hs${i}`), fakeSocket(`s${i}`));
      await jest.advanceTimersByTimeAsync(1_000);
      const { calls } = await store.measure(() => jest.advanceTimersByTimeAsync(3 * GRACE_MS));
      instance.presence.onModuleDestroy();
      instance.inbox.onModuleDestroy();
      instance.figures.onModuleDestroy();
      await store.close();
      return calls;
    };
    const one = await idleCalls(1);
    const many = await idleCalls(200);
    expect(many).toBe(one);
    // A heartbeat and its due entry every 500 ms, the inbox polls, the epoch: per instance, not per socket.
    expect(one).toBeLessThan(300);
  });
});

const SEED = chooseSeed(__filename);

describe(`PositionPusher (seed ${SEED})`, () => {
  /** One API instance's queue, inbox, sockets and pusher, all on the shared store. */
  async function pusherInstance(store: InMemoryStore) {
    const queue = new HelpQueue(store);
    const sockets = new LocalSockets();
    const inbox = new InstanceInbox(store, sockets);
    const pusher = new PositionPusher(sockets, queue, intakeFor(store, queue), inbox);
    await inbox.onModuleInit();
    pusher.onModuleInit();
    return { queue, sockets, inbox, pusher };
  }
  type PusherInstance = Awaited<ReturnType<typeof pusherInstance>>;

  let store: InMemoryStore;
  let instances: PusherInstance[];

  beforeEach(async () => {
    store = new InMemoryStore();
    instances = [await pusherInstance(store), await pusherInstance(store)];
  });

  afterEach(async () => {
    for (const { inbox, pusher } of instances) {
      pusher.onModuleDestroy();
      inbox.onModuleDestroy();
    }
    await store.close();
  });

  /** The last position pushed to a socket (or sent when it connected). */
  const lastPosition = (socket: ReturnType<typeof fakeSocket> | undefined) => {
    const states = (socket?.events ?? [])
      .filter(([event]) => event === 'customer:state')
      .map(([, state]) => state as { position?: number });
    return states.at(-1)?.position;
  };

  it('should push a moved position to a waiting customer held here, and the queue length to reps, without reading the queue', async () => {
    const [{ queue, sockets, pusher }] = instances as [PusherInstance];
    const customer = fakeSocket('c');
    const rep = fakeSocket('r');
    await queue.enqueue('first');
    sockets.add({ kind: 'customer', id: 'second' }, customer);
    sockets.add({ kind: 'rep', id: 'rep1' }, rep);
    await queue.enqueue('second');
    await waitFor(() => customer.events.length > 0);
    expect(customer.events).toEqual([['customer:state', { state: 'waiting', position: 2, estimatedWaitMs: expect.any(Number) }]]);

    await queue.claimNext('rep1', async () => 'yes');
    await pusher.push();
    expect(customer.events.at(-1)).toEqual(['customer:state', { state: 'waiting', position: 1, estimatedWaitMs: expect.any(Number) }]);
    expect(customer.events).toHaveLength(2);
    expect(rep.events.at(-1)).toEqual(['queue:waiting', { waiting: 1 }]);
  });

  it('should write to a customer only when the place they are shown changes (exact up to 100, then rounded)', async () => {
    const [{ queue, sockets, pusher }] = instances as [PusherInstance];
    const held = new Map<number, ReturnType<typeof fakeSocket>>();
    for (let position = 1; position <= 160; position++) {
      const socket = fakeSocket(`c${position}`);
      sockets.add({ kind: 'customer', id: `c${position}` }, socket);
      held.set(position, socket);
      await queue.enqueue(`c${position}`);
    }
    await pusher.push();
    const before = new Map([...held].map(([position, socket]) => [position, socket.events.length]));
    await queue.claimNext('rep1', async () => 'yes');
    await pusher.push();
    const written = [...held].filter(([position, socket]) => position > 1 && socket.events.length > (before.get(position) ?? 0));
    const shownChanged = [...held.keys()].filter((position) => position > 1 && shownPosition(position - 1) !== shownPosition(position));
    expect(written.map(([position]) => position)).toEqual(shownChanged);
    // All of the first 101 moved into exact places; of the 59 behind, only those crossing a rounding step.
    expect(shownChanged.filter((position) => position > 101)).toEqual([105, 115, 125, 135, 145, 155]);
    expect(lastPosition(held.get(160))).toBe(160);
  });

  it('should tell a customer held here who queued through another instance, and go on moving them', async () => {
    const [a, b] = instances as [PusherInstance, PusherInstance];
    await a.queue.enqueue('first');
    const customer = fakeSocket('c');
    // Connected to B before queueing (its first state was "idle"); the enqueue's HTTP request reached A.
    b.sockets.add({ kind: 'customer', id: 'second' }, customer);
    await a.queue.enqueue('second');
    await waitFor(() => lastPosition(customer) === 2, { message: 'B to tell the customer their place' });

    await a.queue.claimNext('rep1', async () => 'yes');
    await waitFor(() => lastPosition(customer) === 1, { message: 'B to move the customer up' });
  });

  it('should agree with a full scan of the queue after a random storm of changes on two instances', async () => {
    const random = seededRandom(SEED);
    const sockets = new Map<string, ReturnType<typeof fakeSocket>>();
    const away = new Set<string>();
    const eligible = async (id: string) => (away.has(id) ? (random.chance(0.5) ? 'gone' : 'later') : 'yes') as 'yes' | 'gone' | 'later';
    const pick = () => instances[random.integer(0, instances.length - 1)] as PusherInstance;
    let next = 0;
    for (let step = 0; step < 300; step++) {
      const roll = random.integer(0, 99);
      const scan = await instances[0]?.queue.waiting();
      const someone = scan?.[random.integer(0, Math.max(0, scan.length - 1))]?.helpSessionId;
      const by = pick();
      if (roll < 45) {
        // A customer connects to one instance and queues through either (the HTTP request may land anywhere).
        const id = `c${next++}`;
        const home = pick();
        const socket = fakeSocket(id);
        home.sockets.add({ kind: 'customer', id }, socket);
        sockets.set(id, socket);
        const queued = await by.queue.enqueue(id);
        // Its first state on connecting, as the gateway sends it, from a place read where the socket is.
        const place = by === home ? queued : await home.queue.place(id);
        if (place) socket.emit('customer:state', { state: 'waiting', position: place.position, estimatedWaitMs: null });
      } else if (roll < 65) await by.queue.claimNext('rep', eligible);
      else if (roll < 80 && someone) await by.queue.cancel(someone);
      else if (roll < 90 && someone) away.add(someone);
      else {
        const claim = await by.queue.claimNext('rep', eligible);
        if (claim && random.chance(0.5)) await by.queue.returnToFront(claim.helpSessionId, Date.now());
      }
    }
    const scan = await pick().queue.waiting();
    const expected = new Map(scan.map((entry) => [entry.helpSessionId, entry.position]));
    // Compared as a customer is shown it (exact up to 100, rounded further back: only changes of that are pushed).
    const shown = (position: number | undefined) => (position === undefined ? undefined : shownPosition(position));
    for (const [id, position] of expected) expected.set(id, shownPosition(position));
    const pushed = () => new Map([...expected.keys()].map((id) => [id, shown(lastPosition(sockets.get(id)))]));
    await waitFor(() => [...expected].every(([id, position]) => pushed().get(id) === position), {
      timeoutMs: 20_000,
      message: 'the pushed positions to agree with the scan',
    }).catch(() => undefined);
    expect(pushed()).toEqual(expected);
  });
});
