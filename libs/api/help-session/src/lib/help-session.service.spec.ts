import { loadServiceKitConfig } from '@servicekit/api/config';
import { MatchRecords, MatchService } from '@servicekit/api/match';
import { RecordingNotifier, SettablePresence } from '@servicekit/api/match/testing';
import { ServiceKitMetrics } from '@servicekit/api/metrics';
import { intakeFor } from '@servicekit/api/hours/testing';
import { HelpQueue } from '@servicekit/api/queue';
import { TokenService } from '@servicekit/api/rep-auth';
import { InMemoryStore } from '@servicekit/api/store';
import { PeerVideoProvider } from '@servicekit/api/video';
import { AlreadyTakenError, HelpSessionEndedError, HelpSessionNotFoundError, NotInQueueError } from './help-session.errors';
import { HelpSessionRecords } from './help-session.records';
import { HelpSessionService } from './help-session.service';

describe('HelpSessionService', () => {
  const config = loadServiceKitConfig({ TOKEN_SECRET: 's'.repeat(40) });
  const rep = { repId: 'rep_1', name: 'Grace' };
  let store: InMemoryStore;
  let sessions: HelpSessionService;
  let matches: MatchService;
  let notifier: RecordingNotifier;

  beforeEach(() => {
    store = new InMemoryStore();
    const video = new PeerVideoProvider({ tokenSecret: config.tokenSecret });
    const queue = new HelpQueue(store);
    const records = new HelpSessionRecords(store);
    const presence = new SettablePresence();
    const metrics = new ServiceKitMetrics();
    notifier = new RecordingNotifier();
    matches = new MatchService(new MatchRecords(store), queue, video, records, presence, notifier, metrics, config);
    sessions = new HelpSessionService(
      records,
      queue,
      matches,
      video,
      new TokenService(config),
      presence,
      notifier,
      metrics,
      intakeFor(store, queue),
    );
  });

  afterEach(async () => {
    matches.onModuleDestroy();
    await store.close();
  });

  it('should keep the name and problem only while the help session lasts', async () => {
    const { id } = await sessions.create('Ada', 'Router blinks');
    expect(await store.get(`hs:${id}`)).toContain('Router blinks');
    await sessions.end(id, 'customer-ended');
    expect(await store.get(`hs:${id}`)).toBeNull();
    await expect(sessions.enqueue(id)).rejects.toThrow(HelpSessionEndedError);
  });

  it('should delete the personal data when the customer cancels', async () => {
    const { id } = await sessions.create('Ada', 'Router blinks');
    await sessions.enqueue(id);
    await sessions.cancel(id);
    expect(await store.get(`hs:${id}`)).toBeNull();
    await expect(matches.claimNext(rep)).resolves.toBeNull();
  });

  it('should hand the rep the customer with a rep video token for the same video session', async () => {
    const created = await sessions.create('Ada', 'Router blinks');
    await sessions.enqueue(created.id);
    const claimed = await matches.claimNext(rep);
    expect(claimed?.helpSession).toMatchObject({ id: created.id, customerName: 'Ada', problemText: 'Router blinks' });
    expect(claimed?.video.sessionId).toBe(created.video.sessionId);
    expect(await sessions.matchedRep(created.id)).toBe('rep_1');
    await expect(sessions.cancel(created.id)).rejects.toThrow(AlreadyTakenError);
    await expect(sessions.enqueue(created.id)).rejects.toThrow(AlreadyTakenError);
  });

  it('should skip a customer who ended while waiting', async () => {
    const gone = await sessions.create('Gone', 'x');
    const here = await sessions.create('Here', 'y');
    await sessions.enqueue(gone.id);
    await sessions.enqueue(here.id);
    await sessions.end(gone.id, 'customer-ended');
    expect((await matches.claimNext(rep))?.helpSession.id).toBe(here.id);
  });

  it('should tell unknown sessions and sessions not in the queue apart', async () => {
    await expect(sessions.enqueue('nope')).rejects.toThrow(HelpSessionNotFoundError);
    await expect(sessions.end('nope', 'customer-ended')).rejects.toThrow(HelpSessionNotFoundError);
    const { id } = await sessions.create('Ada', 'x');
    await expect(sessions.cancel(id)).rejects.toThrow(NotInQueueError);
  });

  it('should delete the match when the session ends, and still let the rep who took it repeat the end', async () => {
    const created = await sessions.create('Ada', 'Router blinks');
    await sessions.enqueue(created.id);
    await matches.claimNext(rep);
    expect(await matches.current(created.id)).not.toBeNull();
    await sessions.end(created.id, 'rep-ended');
    expect(await matches.current(created.id)).toBeNull();
    expect(await sessions.matchedRep(created.id)).toBe('rep_1');
    await expect(sessions.customerState(created.id)).resolves.toEqual({ state: 'ended', reason: 'rep-ended' });
    expect(notifier.customerStates(created.id)).toEqual(['reserved', 'ended']);
    expect(notifier.repStates('rep_1')).toEqual(['reserved', 'ended']);
    await expect(matches.repState('rep_1')).resolves.toEqual({ state: 'available', waiting: 0 });
  });

  it('should read an end marker written by the previous version (the bare reason) as ended', async () => {
    const { id } = await sessions.create('Ada', 'Router blinks');
    await store.set(`hs:${id}:end`, 'customer-ended', 60);
    await expect(sessions.customerState(id)).resolves.toEqual({ state: 'ended', reason: 'customer-ended' });
    await expect(sessions.end(id, 'customer-ended')).resolves.toBeUndefined();
  });
});
