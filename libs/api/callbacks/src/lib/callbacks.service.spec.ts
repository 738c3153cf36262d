import { loadServiceKitConfig } from '@servicekit/api/config';
import type { HelpSessionService } from '@servicekit/api/help-session';
import { helpSessionsOn } from '@servicekit/api/help-session/testing';
import type { MatchService } from '@servicekit/api/match';
import type { HelpQueue } from '@servicekit/api/queue';
import { RememberingStore } from '@servicekit/api/store/testing';
import { CallbackRecords } from './callback.records';
import { CallbacksService } from './callbacks.service';

describe('CallbacksService', () => {
  const config = loadServiceKitConfig({ TOKEN_SECRET: 's'.repeat(40), CALLBACK_RETENTION_HOURS: '2' });
  let now: number;
  let store: RememberingStore;
  let queue: HelpQueue;
  let matches: MatchService;
  let sessions: HelpSessionService;
  let callbacks: CallbacksService;

  beforeEach(() => {
    now = Date.parse('2026-01-14T09:00:00Z');
    store = new RememberingStore({ now: () => now });
    const api = helpSessionsOn(store, { config });
    ({ queue, matches, sessions } = api);
    callbacks = new CallbacksService(new CallbackRecords(store, config), sessions, api.metrics);
  });

  afterEach(async () => {
    matches.onModuleDestroy();
    await store.close();
  });

  const request = (name: string) => ({ customerName: name, problemText: `${name}'s router blinks`, phone: '+49 30 1234567' });

  it('should list open requests oldest first without contact data, and give it only to the rep who claims', async () => {
    const first = await callbacks.create(request('Ada'), undefined, now);
    now += 1000;
    const second = await callbacks.create({ customerName: 'Bob', problemText: 'No signal', email: 'bob@example.com' }, undefined, now);
    const listed = await callbacks.list('rep_1');
    expect(listed.open.map((c) => c.id)).toEqual([first.id, second.id]);
    expect(JSON.stringify(listed)).not.toContain('1234567');
    expect(first.deleteBy).toBe('2026-01-14T11:00:00.000Z');

    await expect(callbacks.claim(second.id, 'rep_1')).resolves.toMatchObject({ customerName: 'Bob', email: 'bob@example.com' });
    expect((await callbacks.list('rep_1')).claimedByYou.map((c) => c.id)).toEqual([second.id]);
    expect((await callbacks.list('rep_2')).claimedByYou).toEqual([]);
    expect((await callbacks.list('rep_2')).open.map((c) => c.id)).toEqual([first.id]);
  });

  it('should let exactly one of many reps claim a request, and the winner retry', async () => {
    const { id } = await callbacks.create(request('Ada'));
    const reps = Array.from({ length: 20 }, (_, i) => `rep_${i}`);
    const results = await Promise.allSettled(reps.map((rep) => callbacks.claim(id, rep)));
    const winners = reps.filter((_, i) => results[i]?.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(
      Array(19).fill('already_taken'),
    );
    await expect(callbacks.claim(id, winners[0] ?? '')).resolves.toMatchObject({ phone: '+49 30 1234567' });
  });

  it.each(['done', 'not_reached'] as const)('should delete the request with its contact data when closed as %s', async (outcome) => {
    const { id } = await callbacks.create(request('Ada'));
    await expect(callbacks.close(id, 'rep_1', outcome)).rejects.toMatchObject({ code: 'forbidden' });
    await callbacks.claim(id, 'rep_1');
    await expect(callbacks.close(id, 'rep_2', outcome)).rejects.toMatchObject({ code: 'forbidden' });
    await callbacks.close(id, 'rep_1', outcome);
    for (const key of await store.liveKeys()) expect(await store.get(key)).not.toMatch(/Ada|1234567|router/);
    await expect(callbacks.claim(id, 'rep_1')).rejects.toMatchObject({ code: 'not_found' });
    await expect(callbacks.figures()).resolves.toEqual({
      open: 0,
      claimed: 0,
      done: outcome === 'done' ? 1 : 0,
      notReached: outcome === 'not_reached' ? 1 : 0,
    });
  });

  it('should forget a request nobody closed after CALLBACK_RETENTION_HOURS, and every key expires by then', async () => {
    const { id } = await callbacks.create(request('Ada'));
    await callbacks.claim(id, 'rep_1');
    await callbacks.list('rep_1');
    now += 2 * 60 * 60 * 1000;
    expect((await callbacks.list('rep_1')).claimedByYou).toEqual([]);
    now += 2 * 60 * 60 * 1000 + 1000;
    expect((await store.liveKeys()).filter((key) => key.startsWith('cb:'))).toEqual([]);
  });

  it('should refuse an id that does not exist, and one with a wrong secret', async () => {
    const { id } = await callbacks.create(request('Ada'));
    await expect(callbacks.claim('1.AAAAAAAAAAAAAAAA', 'rep_1')).rejects.toMatchObject({ code: 'not_found' });
    await expect(callbacks.claim(`${id}x`, 'rep_1')).rejects.toMatchObject({ code: 'not_found' });
    await expect(callbacks.claim('../../etc', 'rep_1')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('should move the list past closed requests, so listing does not grow with history', async () => {
    for (let i = 0; i < 40; i++) {
      const { id } = await callbacks.create(request(`C${i}`));
      await callbacks.claim(id, 'rep_1');
      await callbacks.close(id, 'rep_1', 'done');
    }
    const last = await callbacks.create(request('Zed'));
    await callbacks.list('rep_1');
    // The head hint passed the 40 closed requests: the next listing starts at the open one.
    expect(await store.get('cb:head')).toBe('41');
    expect((await callbacks.list('rep_1')).open.map((c) => c.id)).toEqual([last.id]);
  });

  it('should take a waiting customer out of the queue when they leave a callback instead', async () => {
    const session = await sessions.create('Ada', 'Router blinks');
    await sessions.enqueue(session.id);
    await callbacks.create(request('Ada'), session.id);
    expect(await queue.waiting()).toEqual([]);
    await expect(sessions.customerState(session.id)).resolves.toEqual({ state: 'ended', reason: 'cancelled' });
  });

  it('should not take a callback instead when a rep already took the customer', async () => {
    const session = await sessions.create('Ada', 'Router blinks');
    await sessions.enqueue(session.id);
    await matches.claimNext({ repId: 'rep_1', name: 'Grace' });
    await expect(callbacks.create(request('Ada'), session.id)).rejects.toMatchObject({ code: 'already_taken' });
    expect((await callbacks.list('rep_1')).open).toEqual([]);
  });
});
