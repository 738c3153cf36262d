import { loadServiceKitConfig } from '@servicekit/api/config';
import type { MatchService } from '@servicekit/api/match';
import type { RecordingNotifier } from '@servicekit/api/match/testing';
import type { ServiceKitMetrics } from '@servicekit/api/metrics';
import { InMemoryStore } from '@servicekit/api/store';
import { createHmac } from 'node:crypto';
import { helpSessionsOn } from '../testing';
import { AlreadyTakenError, HelpSessionEndedError, HelpSessionNotFoundError, NotInQueueError } from './help-session.errors';
import type { HelpSessionService } from './help-session.service';

describe('HelpSessionService', () => {
  const contextSecret = 'c'.repeat(40);
  const config = loadServiceKitConfig({
    TOKEN_SECRET: 's'.repeat(40),
    EMBED_ORIGINS: 'https://shop.example',
    EMBED_CONTEXT_SECRET: contextSecret,
  });
  const rep = { repId: 'rep_1', name: 'Grace' };
  let store: InMemoryStore;
  let sessions: HelpSessionService;
  let matches: MatchService;
  let notifier: RecordingNotifier;
  let metrics: ServiceKitMetrics;

  beforeEach(() => {
    store = new InMemoryStore();
    ({ sessions, matches, notifier, metrics } = helpSessionsOn(store, { config }));
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

  /** A customer and the rep in a confirmed call. */
  async function inCall() {
    const created = await sessions.create('Ada', 'Router blinks');
    await sessions.enqueue(created.id);
    const claim = await matches.claimNext(rep);
    await matches.mediaConnected(created.id, claim?.matchId ?? '', 'customer');
    await matches.mediaConnected(created.id, claim?.matchId ?? '', 'rep');
    return created.id;
  }

  it.each([
    ['customer', (id: string) => sessions.customerLeft(id)],
    ['rep', () => sessions.repLeft(rep.repId)],
  ])('should end a call for both with rejoin-timeout when the %s is not back within the window', async (_, leave) => {
    const id = await inCall();
    await expect(sessions.customerAway(id)).resolves.toBe(true);
    expect(notifier.reps.at(-1)?.state).toMatchObject({ state: 'in-call', partnerAway: true });

    await leave(id);

    expect(await store.get(`hs:${id}`)).toBeNull();
    await expect(sessions.customerState(id)).resolves.toEqual({ state: 'ended', reason: 'rejoin-timeout' });
    expect(notifier.reps.at(-1)?.state).toEqual({ state: 'ended', helpSessionId: id, reason: 'rejoin-timeout', waiting: 0 });
    expect(notifier.customers.at(-1)?.state).toEqual({ state: 'ended', reason: 'rejoin-timeout' });
  });

  it('should tell the rep the customer is back, and keep the call', async () => {
    const id = await inCall();
    await sessions.customerAway(id);
    await sessions.customerBack(id);
    expect(notifier.reps.at(-1)?.state).toMatchObject({ state: 'in-call', partnerAway: false });
    await expect(sessions.customerState(id)).resolves.toMatchObject({ state: 'in-call', partnerAway: false });
  });

  it('should say a customer who left the queue left, once, whichever instances confirm it', async () => {
    const { id } = await sessions.create('Ada', 'Router blinks');
    await sessions.enqueue(id);
    await Promise.all([sessions.customerLeft(id), sessions.customerLeft(id)]);
    await sessions.customerLeft(id);
    await expect(sessions.customerState(id)).resolves.toEqual({ state: 'ended', reason: 'customer-left' });
    expect(notifier.customerStates(id)).toEqual(['ended']);
    expect(await metrics.text(async () => ({ depth: 0, oldestWaitMs: 0, repsOnline: 0 }))).toMatch(/^servicekit_abandons_total 1$/m);
  });

  it('should read an end marker written by the previous version (the bare reason) as ended', async () => {
    const { id } = await sessions.create('Ada', 'Router blinks');
    await store.set(`hs:${id}:end`, 'customer-ended', 60);
    await expect(sessions.customerState(id)).resolves.toEqual({ state: 'ended', reason: 'customer-ended' });
    await expect(sessions.end(id, 'customer-ended')).resolves.toBeUndefined();
  });

  function contextToken(claims: Record<string, unknown>, secret = contextSecret): string {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ exp: Math.floor(Date.now() / 1000) + 300, ...claims })}`;
    return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
  }

  it('should hand the rep the verified reference, and mark the name verified only when the customer kept it', async () => {
    const kept = await sessions.create('Ada Lovelace', 'Router blinks', contextToken({ name: 'Ada Lovelace', reference: 'Order 4711' }));
    const edited = await sessions.create('Ada L.', 'Router blinks', contextToken({ name: 'Ada Lovelace', reference: 'Order 4712' }));
    expect([kept.context, edited.context]).toEqual(['verified', 'verified']);
    await sessions.enqueue(kept.id);
    await sessions.enqueue(edited.id);
    expect((await matches.claimNext(rep))?.helpSession).toMatchObject({
      id: kept.id,
      customerName: 'Ada Lovelace',
      verified: { reference: 'Order 4711', nameVerified: true },
    });
    expect((await matches.claimNext({ repId: 'rep_2', name: 'Alan' }))?.helpSession).toMatchObject({
      id: edited.id,
      customerName: 'Ada L.',
      verified: { reference: 'Order 4712', nameVerified: false },
    });
  });

  it('should create the help session without the context when the token is forged, and say it was ignored', async () => {
    const forged = await sessions.create('Ada', 'Router', contextToken({ name: 'Ada', reference: 'Order 1' }, 'f'.repeat(40)));
    expect(forged.context).toBe('ignored');
    expect(await store.get(`hs:${forged.id}`)).not.toContain('Order 1');
    await sessions.enqueue(forged.id);
    const claimed = await matches.claimNext(rep);
    expect(claimed?.helpSession.id).toBe(forged.id);
    expect(claimed?.helpSession.verified).toBeUndefined();
    expect((await sessions.create('Ada', 'Router')).context).toBeUndefined();
  });

  it('should keep the reference only while the help session lasts', async () => {
    const { id } = await sessions.create('Ada', 'Router', contextToken({ name: 'Ada', reference: 'Order 4711' }));
    expect(await store.get(`hs:${id}`)).toContain('Order 4711');
    await sessions.end(id, 'customer-ended');
    expect(await store.get(`hs:${id}`)).toBeNull();
  });

  it('should check a context token without storing anything', () => {
    expect(sessions.checkContext(contextToken({ name: 'Ada', reference: 'Order 4711' }))).toEqual({
      valid: true,
      customerName: 'Ada',
      reference: 'Order 4711',
    });
    expect(sessions.checkContext(contextToken({ name: 'Ada', exp: 1 }))).toEqual({
      valid: false,
      message: expect.stringContaining('expired'),
    });
    expect(store.size).toBe(0);
  });
});
