import { intakeFor } from '@servicekit/api/hours/testing';
import { loadServiceKitConfig } from '@servicekit/api/config';
import { ServiceKitMetrics } from '@servicekit/api/metrics';
import { HelpQueue } from '@servicekit/api/queue';
import { InMemoryStore } from '@servicekit/api/store';
import { waitFor } from '@servicekit/tools/testing';
import { fakeSocket, RecordingDepartures, SettableRepActivity } from '../testing';
import { InstanceFigures } from './instance-figures';
import { InstanceInbox } from './instance-inbox';
import { LeaseRecords } from './lease.records';
import { LocalSockets } from './local-sockets';
import { PositionPusher } from './position-pusher';
import { PresenceNotifier } from './presence.notifier';
import { PresenceService } from './presence.service';

const GRACE_MS = 1000;
const config = loadServiceKitConfig({ PRESENCE_GRACE_MS: String(GRACE_MS) });

/** The presence classes of one API instance, wired as the presence module wires them. */
function presenceInstance(store: InMemoryStore) {
  const sockets = new LocalSockets();
  const leases = new LeaseRecords(store, config);
  const inbox = new InstanceInbox(store, sockets);
  const departures = new RecordingDepartures();
  const activity = new SettableRepActivity();
  return {
    sockets,
    leases,
    inbox,
    departures,
    activity,
    notifier: new PresenceNotifier(sockets, inbox, leases),
    presence: new PresenceService(sockets, leases, inbox, departures, new ServiceKitMetrics(), config),
    figures: new InstanceFigures(store, sockets, inbox, leases, activity),
  };
}

type Instance = ReturnType<typeof presenceInstance>;

describe('presence', () => {
  let store: InMemoryStore;
  let instanceA: Instance;
  let instanceB: Instance;

  beforeEach(async () => {
    store = new InMemoryStore({ now: () => Date.now() });
    instanceA = presenceInstance(store);
    instanceB = presenceInstance(store);
    for (const instance of [instanceA, instanceB]) {
      await instance.inbox.onModuleInit();
      instance.presence.onModuleInit();
    }
  });

  afterEach(async () => {
    for (const instance of [instanceA, instanceB]) {
      instance.presence.onModuleDestroy();
      instance.figures.onModuleDestroy();
      instance.inbox.onModuleDestroy();
    }
    await store.close();
    jest.useRealTimers();
  });

  it('should give a queued customer the grace period to connect, and know who is present or away', async () => {
    await expect(instanceA.leases.check('hs1')).resolves.toBe('gone');
    await instanceA.leases.expect('hs1');
    await expect(instanceA.leases.check('hs1')).resolves.toBe('yes');
    const socket = fakeSocket('s1');
    await instanceA.presence.connected({ kind: 'customer', id: 'hs1' }, socket);
    await expect(instanceB.figures.customersConnected(['hs1', 'hs2'])).resolves.toEqual([true, false]);
    await instanceA.presence.disconnected({ kind: 'customer', id: 'hs1' }, socket);
    await expect(instanceB.leases.check('hs1')).resolves.toBe('later');
  });

  it('should deliver a state change to the instance that holds the socket', async () => {
    const socket = fakeSocket('s1');
    await instanceB.presence.connected({ kind: 'rep', id: 'rep1' }, socket);
    await instanceA.notifier.rep('rep1', { state: 'available', waiting: 3 });
    await waitFor(() => socket.events.some(([event]) => event === 'rep:state'), { message: 'the state to arrive through the inbox' });
    expect(socket.events).toContainEqual(['rep:state', { state: 'available', waiting: 3 }]);
    expect(instanceB.sockets.count()).toBe(1);
  });

  it('should add up every instance in the shared figures', async () => {
    await instanceA.presence.connected({ kind: 'rep', id: 'rep1' }, fakeSocket('a'));
    await instanceB.presence.connected({ kind: 'rep', id: 'rep2' }, fakeSocket('b'));
    await instanceB.presence.connected({ kind: 'customer', id: 'hs1' }, fakeSocket('c'));
    await Promise.all([instanceA.figures.publish(), instanceB.figures.publish()]);
    await expect(instanceA.figures.snapshot()).resolves.toEqual({ repsOnline: 2, repsBusy: 0, callsInProgress: 0, openSockets: 3 });
  });

  it("should count the busy reps and calls the match reports for this instance's reps", async () => {
    await instanceA.presence.connected({ kind: 'rep', id: 'rep1' }, fakeSocket('a'));
    await instanceA.presence.connected({ kind: 'rep', id: 'rep2' }, fakeSocket('b'));
    instanceA.activity.busy.add('rep1').add('rep2');
    instanceA.activity.inCall.add('rep1');
    await instanceA.figures.publish();
    await expect(instanceB.figures.snapshot()).resolves.toEqual({ repsOnline: 2, repsBusy: 2, callsInProgress: 1, openSockets: 2 });
    await instanceA.figures.onApplicationShutdown();
    await expect(instanceB.figures.snapshot()).resolves.toEqual({ repsOnline: 0, repsBusy: 0, callsInProgress: 0, openSockets: 0 });
  });

  it('should tell Departures when someone does not come back within the grace period, and not when they do', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T09:00:00Z'), doNotFake: ['setInterval'] });
    const leaving = fakeSocket('leaving');
    const reloading = fakeSocket('reloading');
    await instanceA.presence.connected({ kind: 'customer', id: 'leaves' }, leaving);
    await instanceA.presence.connected({ kind: 'rep', id: 'reloads' }, reloading);
    await instanceA.presence.disconnected({ kind: 'customer', id: 'leaves' }, leaving);
    await instanceA.presence.disconnected({ kind: 'rep', id: 'reloads' }, reloading);
    // The rep's page comes back, on the other instance.
    await instanceB.presence.connected({ kind: 'rep', id: 'reloads' }, fakeSocket('again'));

    await jest.advanceTimersByTimeAsync(GRACE_MS - 1);
    expect(instanceA.departures.left).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);

    expect(instanceA.departures.left).toEqual(['customer:leaves']);
    await expect(instanceB.leases.check('leaves')).resolves.toBe('gone');
  });

  it('should close every socket on shutdown and leave the leases for a reconnection elsewhere', async () => {
    const socket = fakeSocket('s1');
    await instanceA.presence.connected({ kind: 'customer', id: 'hs1' }, socket);
    instanceA.presence.onApplicationShutdown();
    expect(socket.closed).toBe(true);
    await instanceA.presence.disconnected({ kind: 'customer', id: 'hs1' }, socket);
    await expect(instanceB.leases.check('hs1')).resolves.toBe('yes');
  });
});

describe('PositionPusher', () => {
  let store: InMemoryStore;
  let queue: HelpQueue;
  let sockets: LocalSockets;
  let pusher: PositionPusher;

  beforeEach(() => {
    store = new InMemoryStore();
    queue = new HelpQueue(store);
    sockets = new LocalSockets();
    pusher = new PositionPusher(sockets, queue, intakeFor(store, queue));
  });

  afterEach(async () => {
    await store.close();
  });

  it('should push a moved position to a waiting customer held here, once, and the queue length to reps', async () => {
    const customer = fakeSocket('c');
    const rep = fakeSocket('r');
    await queue.enqueue('first');
    await queue.enqueue('second');
    sockets.add({ kind: 'customer', id: 'second' }, customer);
    sockets.add({ kind: 'rep', id: 'rep1' }, rep);

    await pusher.push();
    await pusher.push();
    expect(customer.events).toEqual([['customer:state', { state: 'waiting', position: 2, estimatedWaitMs: expect.any(Number) }]]);
    expect(rep.events).toEqual([['queue:waiting', { waiting: 2 }]]);

    await queue.claimNext('rep1', async () => 'yes');
    await pusher.push();
    expect(customer.events.at(-1)).toEqual(['customer:state', { state: 'waiting', position: 1, estimatedWaitMs: expect.any(Number) }]);
    expect(rep.events.at(-1)).toEqual(['queue:waiting', { waiting: 1 }]);
  });
});
