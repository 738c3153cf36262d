import { loadServiceKitConfig } from '@servicekit/api/config';
import { HelpQueue } from '@servicekit/api/queue';
import { InMemoryStore } from '@servicekit/api/store';
import { InstanceInbox } from './instance-inbox';
import { PresenceService, PresenceSocket } from './presence.service';

function fakeSocket(id: string): PresenceSocket & { events: [string, unknown][] } {
  const events: [string, unknown][] = [];
  return { id, events, emit: (event: string, payload: unknown) => events.push([event, payload]), disconnect: () => undefined } as never;
}

describe('PresenceService', () => {
  const config = loadServiceKitConfig({ PRESENCE_GRACE_MS: '1000' });
  let store: InMemoryStore;
  let instanceA: PresenceService;
  let instanceB: PresenceService;
  let inboxes: InstanceInbox[];

  beforeEach(async () => {
    store = new InMemoryStore();
    inboxes = [new InstanceInbox(store), new InstanceInbox(store)];
    instanceA = new PresenceService(store, new HelpQueue(store), inboxes[0]!, config);
    instanceB = new PresenceService(store, new HelpQueue(store), inboxes[1]!, config);
    for (const inbox of inboxes) await inbox.onModuleInit();
    await instanceA.onModuleInit();
    await instanceB.onModuleInit();
  });

  afterEach(async () => {
    instanceA.onModuleDestroy();
    instanceB.onModuleDestroy();
    inboxes.forEach((inbox) => inbox.onModuleDestroy());
    await store.close();
  });

  it('should give a queued customer the grace period to connect, and know who is present or away', async () => {
    await expect(instanceA.check('hs1')).resolves.toBe('gone');
    await instanceA.expect('hs1');
    await expect(instanceA.check('hs1')).resolves.toBe('yes');
    const socket = fakeSocket('s1');
    await instanceA.connected({ kind: 'customer', id: 'hs1' }, socket);
    await expect(instanceB.customersConnected(['hs1', 'hs2'])).resolves.toEqual([true, false]);
    await instanceA.disconnected({ kind: 'customer', id: 'hs1' }, socket);
    await expect(instanceB.check('hs1')).resolves.toBe('later');
  });

  it('should deliver a state change to the instance that holds the socket', async () => {
    const socket = fakeSocket('s1');
    await instanceB.connected({ kind: 'rep', id: 'rep1' }, socket);
    await instanceA.rep('rep1', { state: 'available', waiting: 3 });
    const { waitFor } = await import('@servicekit/tools/testing');
    await waitFor(() => socket.events.some(([event]) => event === 'rep:state'), { message: 'the state to arrive through the inbox' });
    expect(socket.events).toContainEqual(['rep:state', { state: 'available', waiting: 3 }]);
    expect(instanceB.localSockets()).toBe(1);
  });

  it('should add up every instance in the shared figures', async () => {
    await instanceA.connected({ kind: 'rep', id: 'rep1' }, fakeSocket('a'));
    await instanceB.connected({ kind: 'rep', id: 'rep2' }, fakeSocket('b'));
    await instanceB.connected({ kind: 'customer', id: 'hs1' }, fakeSocket('c'));
    const { waitFor } = await import('@servicekit/tools/testing');
    await waitFor(async () => (await instanceA.snapshot()).openSockets === 3, { message: 'both instances to publish', timeoutMs: 6000 });
    await expect(instanceA.snapshot()).resolves.toEqual({ repsOnline: 2, repsBusy: 0, callsInProgress: 0, openSockets: 3 });
  });
});
