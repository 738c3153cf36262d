import { loadServiceKitConfig } from '@servicekit/api/config';
import { ServiceKitMetrics } from '@servicekit/api/metrics';
import { HelpQueue } from '@servicekit/api/queue';
import { InMemoryStore } from '@servicekit/api/store';
import { PeerVideoProvider } from '@servicekit/api/video';
import type { CustomerState, RepState } from '@servicekit/contracts';
import { MemoryHelpSessions, RecordingNotifier, SettablePresence } from '../testing';
import { MatchRecords } from './match.records';
import { MatchService } from './match.service';

const NO_SHOW_MS = 5_000;
/** Due work is done within a bucket (250 ms) and a sweep (100 ms) of its deadline. */
const DUE_WITHIN_MS = 500;
const config = loadServiceKitConfig({ TOKEN_SECRET: 's'.repeat(40), NO_SHOW_MS: String(NO_SHOW_MS) });
const grace = { repId: 'rep_grace', name: 'Grace' };
const alan = { repId: 'rep_alan', name: 'Alan' };

/** The value of an unlabelled counter of these metrics. */
async function counter(metrics: ServiceKitMetrics, name: string): Promise<number | undefined> {
  const text = await metrics.text(async () => ({ depth: 0, oldestWaitMs: 0, repsOnline: 0 }));
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/**
 * The match on the in-memory store, with its clock and timers under the test's control (fake timers drive
 * Date.now, the store's clock and every instance's sweep of the due list together): no test waits in real time.
 */
describe('MatchService', () => {
  let store: InMemoryStore;
  let queue: HelpQueue;
  let sessions: MemoryHelpSessions;
  let presence: SettablePresence;
  let notifier: RecordingNotifier;
  let metrics: ServiceKitMetrics;
  let video: PeerVideoProvider;
  const instances: MatchService[] = [];

  /** One API instance's match service, started; all instances share the store. */
  async function instance(on = store): Promise<MatchService> {
    const matches = new MatchService(new MatchRecords(on), new HelpQueue(on), video, sessions, presence, notifier, metrics, config, on);
    instances.push(matches);
    await matches.onModuleInit();
    return matches;
  }

  let matches: MatchService;

  beforeEach(async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T09:00:00Z') });
    store = new InMemoryStore({ now: () => Date.now() });
    queue = new HelpQueue(store);
    sessions = new MemoryHelpSessions();
    presence = new SettablePresence();
    notifier = new RecordingNotifier();
    metrics = new ServiceKitMetrics();
    video = new PeerVideoProvider({ tokenSecret: config.tokenSecret });
    matches = await instance();
  });

  afterEach(async () => {
    instances.splice(0).forEach((each) => each.onModuleDestroy());
    await store.close();
    jest.useRealTimers();
  });

  async function waiting(helpSessionId: string, details: { customerName?: string; problemText?: string } = {}): Promise<void> {
    sessions.add(helpSessionId, { ...details, videoSessionId: await video.createSession() });
    await queue.enqueue(helpSessionId);
  }

  /** A claim that must find someone. */
  async function claimed(rep: { repId: string; name: string }, by = matches) {
    const claim = await by.claimNext(rep);
    if (!claim) throw new Error(`${rep.name} found nobody waiting`);
    return claim;
  }

  const lastCustomerState = (id: string): CustomerState | undefined =>
    notifier.customers.filter((c) => c.helpSessionId === id).at(-1)?.state;
  const lastRepState = (repId: string): RepState | undefined => notifier.reps.filter((r) => r.repId === repId).at(-1)?.state;
  const waitingIds = async () => (await queue.waiting()).map((entry) => entry.helpSessionId);

  it('should answer a rep who waits once the instance drains, and not make later claims wait', async () => {
    const waitingRep = matches.claimNext(grace, 20_000);
    matches.endWaits();
    await expect(waitingRep).resolves.toBeNull();
    // With the drain begun, a claim answers at once: fake timers would leave a 20 s wait pending forever.
    await expect(matches.claimNext(grace, 20_000)).resolves.toBeNull();
    await waiting('hs_ada');
    expect((await matches.claimNext(grace, 20_000))?.helpSession.id).toBe('hs_ada');
  });

  it('should reserve the first waiting customer for the rep, tell both sides, and put no name in the video tokens', async () => {
    await waiting('hs1', { customerName: 'Ada Lovelace', problemText: 'The engine stalls.' });
    await waiting('hs2');

    const claim = await matches.claimNext(grace);

    expect(claim).toMatchObject({
      matchId: expect.stringMatching(/^m_/),
      helpSession: { id: 'hs1', customerName: 'Ada Lovelace', problemText: 'The engine stalls.', waitedMs: 0 },
      video: { provider: 'p2p' },
      noShowMs: NO_SHOW_MS,
    });
    const reserved = lastCustomerState('hs1');
    expect(reserved).toMatchObject({ state: 'reserved', matchId: claim?.matchId, repName: 'Grace', noShowMs: NO_SHOW_MS });
    expect(lastRepState(grace.repId)).toEqual({ state: 'reserved', matchId: claim?.matchId, helpSessionId: 'hs1' });
    const customerToken = reserved?.state === 'reserved' ? reserved.video.token : '';
    expect(video.verify(customerToken)).toEqual(expect.objectContaining({ role: 'customer', sub: 'hs1' }));
    expect(video.verify(customerToken)).not.toHaveProperty('name');
    expect(video.verify(claim?.video.token ?? '')).toEqual(expect.objectContaining({ role: 'rep', sub: grace.repId }));
    await expect(matches.repState(grace.repId)).resolves.toEqual({ state: 'reserved', matchId: claim?.matchId, helpSessionId: 'hs1' });
    expect(await waitingIds()).toEqual(['hs2']);
    expect(await counter(metrics, 'servicekit_matches_total')).toBe(1);
  });

  it('should pass over a customer who is away (keeping the place) and one whose help session ended', async () => {
    await waiting('away');
    await waiting('ended');
    await waiting('here');
    presence.verdicts.set('away', 'later');
    sessions.end('ended');

    expect((await matches.claimNext(grace))?.helpSession.id).toBe('here');
    presence.verdicts.delete('away');
    expect((await matches.claimNext(alan))?.helpSession.id).toBe('away');
    await expect(matches.claimNext(grace)).resolves.toBeNull();
  });

  it('should confirm the match once both sides report media, and tell each side once', async () => {
    await waiting('hs1');
    const { matchId } = await claimed(grace);

    await expect(matches.mediaConnected('hs1', matchId, 'customer')).resolves.toBe(true);
    expect(lastCustomerState('hs1')?.state).toBe('reserved');
    await expect(matches.mediaConnected('hs1', matchId, 'rep')).resolves.toBe(true);
    await expect(matches.mediaConnected('hs1', matchId, 'rep')).resolves.toBe(true);
    await expect(matches.mediaConnected('hs1', matchId, 'customer')).resolves.toBe(true);

    expect(notifier.customerStates('hs1')).toEqual(['reserved', 'in-call']);
    expect(notifier.repStates(grace.repId)).toEqual(['reserved', 'in-call']);
    await expect(matches.customerView('hs1')).resolves.toMatchObject({ state: 'in-call', matchId, repName: 'Grace', partnerAway: false });
    await expect(matches.repState(grace.repId)).resolves.toEqual({
      state: 'in-call',
      matchId,
      helpSessionId: 'hs1',
      video: expect.objectContaining({ provider: 'p2p' }),
      partnerAway: false,
    });
    await expect(matches.activityOf([grace.repId, alan.repId])).resolves.toEqual({ busy: 1, inCall: 1 });
  });

  it('should ignore a stale media report for an older match of the same help session', async () => {
    await waiting('hs1');
    const first = await claimed(grace);
    await expect(matches.repLeft(grace.repId)).resolves.toEqual({ kind: 'handed-back', helpSessionId: 'hs1' });
    const second = await claimed(alan);
    expect(second.helpSession.id).toBe('hs1');

    await expect(matches.mediaConnected('hs1', first.matchId, 'customer')).resolves.toBe(false);
    await expect(matches.mediaConnected('hs1', first.matchId, 'rep')).resolves.toBe(false);
    await expect(matches.mediaConnected('hs1', second.matchId, 'customer')).resolves.toBe(true);
    expect(lastCustomerState('hs1')?.state).toBe('reserved');
    await expect(matches.mediaConnected('hs1', second.matchId, 'rep')).resolves.toBe(true);
    expect(lastCustomerState('hs1')).toMatchObject({ state: 'in-call', matchId: second.matchId, repName: 'Alan' });
  });

  it('should hand a no-show back to the front with the original enqueue time, and tell the rep', async () => {
    const enqueuedAt = Date.now();
    await waiting('no-show');
    await jest.advanceTimersByTimeAsync(30_000);
    await waiting('next');
    expect((await matches.claimNext(grace))?.helpSession).toMatchObject({ id: 'no-show', waitedMs: 30_000 });

    await jest.advanceTimersByTimeAsync(NO_SHOW_MS - 1);
    expect(await waitingIds()).toEqual(['next']);
    await jest.advanceTimersByTimeAsync(DUE_WITHIN_MS);

    expect(await queue.waiting()).toEqual([
      { helpSessionId: 'no-show', position: 1, enqueuedAt },
      { helpSessionId: 'next', position: 2, enqueuedAt: enqueuedAt + 30_000 },
    ]);
    expect(lastRepState(grace.repId)).toEqual({ state: 'no-show', helpSessionId: 'no-show', waiting: 2 });
    expect(lastCustomerState('no-show')).toMatchObject({ state: 'waiting', position: 1 });
    await expect(matches.repState(grace.repId)).resolves.toEqual({ state: 'available', waiting: 2 });
    expect(await counter(metrics, 'servicekit_no_shows_total')).toBe(1);
    expect((await matches.claimNext(alan))?.helpSession).toMatchObject({ id: 'no-show', waitedMs: Date.now() - enqueuedAt });
  });

  it('should not count a customer whose media came up as a no-show', async () => {
    await waiting('hs1');
    const { matchId } = await claimed(grace);
    await matches.mediaConnected('hs1', matchId, 'customer');

    await jest.advanceTimersByTimeAsync(NO_SHOW_MS * 2);

    expect(await waitingIds()).toEqual([]);
    expect(lastRepState(grace.repId)?.state).toBe('reserved');
  });

  it('should hand the customer back when the rep leaves before confirming, and let the later deadline do nothing', async () => {
    await waiting('hs1');
    const { matchId } = await claimed(grace);
    await matches.mediaConnected('hs1', matchId, 'customer');

    await expect(matches.repLeft(grace.repId)).resolves.toEqual({ kind: 'handed-back', helpSessionId: 'hs1' });
    expect(await waitingIds()).toEqual(['hs1']);
    expect(lastRepState(grace.repId)).toEqual({ state: 'available', waiting: 1 });
    expect(lastCustomerState('hs1')).toMatchObject({ state: 'waiting', position: 1 });

    await jest.advanceTimersByTimeAsync(NO_SHOW_MS * 2);
    expect(await waitingIds()).toEqual(['hs1']);
    expect(notifier.repStates(grace.repId)).toEqual(['reserved', 'available']);
    expect(await counter(metrics, 'servicekit_no_shows_total')).toBe(0);
    await expect(matches.repLeft(grace.repId)).resolves.toEqual({ kind: 'none' });
  });

  it('should report the call as over when the rep leaves after confirming, without handing the customer back', async () => {
    await waiting('hs1');
    const { matchId } = await claimed(grace);
    await matches.mediaConnected('hs1', matchId, 'customer');
    await matches.mediaConnected('hs1', matchId, 'rep');

    await expect(matches.repLeft(grace.repId)).resolves.toEqual({ kind: 'call-ended', helpSessionId: 'hs1' });
    expect(await waitingIds()).toEqual([]);
  });

  it('should leave a confirmed call alone when its no-show deadline passes', async () => {
    await waiting('hs1');
    const { matchId } = await claimed(grace);
    await matches.mediaConnected('hs1', matchId, 'customer');
    await matches.mediaConnected('hs1', matchId, 'rep');

    await jest.advanceTimersByTimeAsync(NO_SHOW_MS * 3);

    await expect(matches.settleDue('hs1')).resolves.toBe(false);
    expect(await waitingIds()).toEqual([]);
    await expect(matches.customerView('hs1')).resolves.toMatchObject({ state: 'in-call', matchId });
    expect(notifier.repStates(grace.repId)).toEqual(['reserved', 'in-call']);
  });

  it('should let any instance settle a due reservation, and exactly one of them hand the customer back', async () => {
    await waiting('hs1');
    await matches.claimNext(grace);
    // The claiming instance dies (or stops gracefully): its sweeps stop, the deadline is still in the store.
    matches.onModuleDestroy();
    const others = await Promise.all([instance(), instance(), instance()]);

    await expect(others[0]?.settleDue('hs1')).resolves.toBe(false);
    await jest.advanceTimersByTimeAsync(NO_SHOW_MS + DUE_WITHIN_MS);

    expect(await waitingIds()).toEqual(['hs1']);
    expect(notifier.repStates(grace.repId)).toEqual(['reserved', 'no-show']);
    expect(notifier.customerStates('hs1')).toEqual(['reserved', 'waiting']);
    expect(await counter(metrics, 'servicekit_no_shows_total')).toBe(1);
    const late = await Promise.all(others.map((other) => other.settleDue('hs1')));
    expect(late.filter(Boolean)).toHaveLength(0);
  });

  it('should settle only the match a deadline is for, and only once its deadline passed', async () => {
    await waiting('hs1');
    const claim = await claimed(grace);
    const match = await matches.current('hs1');
    await expect(matches.settleDue('hs1', (match?.noShowAt ?? 0) - 1, claim.matchId)).resolves.toBe(false);
    await expect(matches.settleDue('hs1', match?.noShowAt, 'm_another')).resolves.toBe(false);
    await expect(matches.settleDue('hs1', match?.noShowAt, claim.matchId)).resolves.toBe(true);
  });

  /** A claim whose two sides both reported media. */
  async function inCall(id = 'hs1') {
    await waiting(id);
    const { matchId } = await claimed(grace);
    await matches.mediaConnected(id, matchId, 'customer');
    await matches.mediaConnected(id, matchId, 'rep');
    return matchId;
  }

  it("should tell the rep at once when the customer's connection is lost in a call, and again when they are back", async () => {
    const matchId = await inCall();

    await expect(matches.away('customer', 'hs1')).resolves.toBe(true);
    expect(lastRepState(grace.repId)).toMatchObject({ state: 'in-call', matchId, helpSessionId: 'hs1', partnerAway: true });
    await expect(matches.repState(grace.repId)).resolves.toMatchObject({ state: 'in-call', matchId, partnerAway: true });

    await matches.back('customer', 'hs1');
    expect(lastRepState(grace.repId)).toMatchObject({ state: 'in-call', matchId, partnerAway: false });
    await expect(matches.customerView('hs1')).resolves.toMatchObject({ state: 'in-call', matchId, partnerAway: false });
    // Back again (a second tab, a repeated report): nobody is told twice.
    const told = notifier.reps.length;
    await matches.back('customer', 'hs1');
    expect(notifier.reps).toHaveLength(told);
    expect(notifier.customerStates('hs1')).toEqual(['reserved', 'in-call']);
  });

  it("should tell the customer at once when the rep's connection is lost in a call, with fresh credentials for the rep's return", async () => {
    const matchId = await inCall();

    await expect(matches.away('rep', grace.repId)).resolves.toBe(true);
    const told = lastCustomerState('hs1');
    expect(told).toMatchObject({ state: 'in-call', matchId, repName: 'Grace', partnerAway: true, video: { provider: 'p2p' } });
    await expect(matches.customerView('hs1')).resolves.toMatchObject({ partnerAway: true });

    const again = await matches.repState(grace.repId);
    expect(again).toMatchObject({ state: 'in-call', matchId, partnerAway: false });
    const token = again.state === 'in-call' ? (again.video?.token ?? '') : '';
    expect(video.verify(token)).toEqual(expect.objectContaining({ role: 'rep', sub: grace.repId }));
    await matches.back('rep', grace.repId);
    expect(lastCustomerState('hs1')).toMatchObject({ state: 'in-call', matchId, partnerAway: false });
  });

  it('should leave reservations to their own deadlines when a side is away before the call is confirmed', async () => {
    await waiting('hs1');
    await claimed(grace);
    await expect(matches.away('customer', 'hs1')).resolves.toBe(false);
    await expect(matches.away('rep', grace.repId)).resolves.toBe(false);
    await expect(matches.away('rep', alan.repId)).resolves.toBe(false);
    expect(notifier.repStates(grace.repId)).toEqual(['reserved']);
    expect(notifier.customerStates('hs1')).toEqual(['reserved']);
  });

  it('should write a confirmed call back as it was after the store lost everything', async () => {
    const matchId = await inCall();
    const call = await matches.callOf('hs1');
    expect(call).toMatchObject({ confirmed: true, match: { matchId, repId: grace.repId } });

    // A memcached restart: an empty store, the same instance still remembering the call.
    const restarted = new InMemoryStore({ now: () => Date.now() });
    const after = await instance(restarted);
    await expect(after.callOf('hs1')).resolves.toBeNull();
    if (call) await after.restoreCall(call.match);

    await expect(after.callOf('hs1')).resolves.toEqual(call);
    await expect(after.repState(grace.repId)).resolves.toMatchObject({ state: 'in-call', matchId });
    await expect(after.partnerOf('hs1')).resolves.toMatchObject({ matchId });
    await restarted.close();
  });

  it('should make late timers and reports harmless once the help session ended', async () => {
    await waiting('hs1');
    const { matchId } = await claimed(grace);
    const match = await matches.current('hs1');
    if (!match) throw new Error('the claim made no match');
    sessions.end('hs1');

    await matches.sessionEnded(match);
    await jest.advanceTimersByTimeAsync(NO_SHOW_MS * 2);

    expect(await waitingIds()).toEqual([]);
    await expect(matches.current('hs1')).resolves.toBeNull();
    await expect(matches.mediaConnected('hs1', matchId, 'customer')).resolves.toBe(false);
    await expect(matches.partnerOf('hs1')).resolves.toBeNull();
    await expect(matches.repLeft(grace.repId)).resolves.toEqual({ kind: 'none' });
    await expect(matches.repState(grace.repId)).resolves.toEqual({ state: 'available', waiting: 0 });
    expect(notifier.repStates(grace.repId)).toEqual(['reserved']);
  });

  it('should hand a rep its current reservation again, with fresh credentials and what is left of the no-show time', async () => {
    await waiting('hs1', { customerName: 'Ada Lovelace', problemText: 'The engine stalls.' });
    await jest.advanceTimersByTimeAsync(4_000);
    const claim = await claimed(grace);
    await jest.advanceTimersByTimeAsync(1_500);

    const again = await matches.currentClaim(grace);

    expect(again).toEqual({
      matchId: claim.matchId,
      helpSession: { id: 'hs1', customerName: 'Ada Lovelace', problemText: 'The engine stalls.', waitedMs: 4_000 },
      video: expect.objectContaining({ provider: 'p2p', sessionId: claim.video.sessionId }),
      noShowMs: NO_SHOW_MS - 1_500,
    });
    expect(again?.video.token).not.toBe(claim.video.token);
    expect(video.verify(again?.video.token ?? '')).toEqual(expect.objectContaining({ role: 'rep', sub: grace.repId }));
    await expect(matches.currentClaim(alan)).resolves.toBeNull();
  });

  it('should hand a rep its confirmed call again, and nothing once the help session is over', async () => {
    await waiting('hs1');
    const { matchId } = await claimed(grace);
    await matches.mediaConnected('hs1', matchId, 'customer');
    await matches.mediaConnected('hs1', matchId, 'rep');
    await jest.advanceTimersByTimeAsync(NO_SHOW_MS * 2);

    await expect(matches.currentClaim(grace)).resolves.toMatchObject({ matchId, helpSession: { id: 'hs1' }, noShowMs: 0 });

    const match = await matches.current('hs1');
    if (!match) throw new Error('the claim made no match');
    sessions.end('hs1');
    await matches.sessionEnded(match);
    await expect(matches.currentClaim(grace)).resolves.toBeNull();
  });
});
