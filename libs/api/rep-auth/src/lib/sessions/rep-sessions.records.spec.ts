import { loadServiceKitConfig } from '@servicekit/api/config';
import { UnauthenticatedError } from '@servicekit/api/errors';
import { InMemoryStore } from '@servicekit/api/store';
import { RepSessionEnd, RepSignOuts } from './rep-session';
import { RepSessions } from './rep-sessions.records';

class HeardSignOuts extends RepSignOuts {
  readonly heard: { repId: string; reason: RepSessionEnd }[] = [];
  async signedOut(repId: string, reason: RepSessionEnd): Promise<void> {
    this.heard.push({ repId, reason });
  }
}

const ADA = { name: 'Ada L.', account: 'account:ada', roles: ['rep'] as const };
const MINUTE = 60_000;

describe('RepSessions', () => {
  let store: InMemoryStore;
  let signOuts: HeardSignOuts;
  let sessions: RepSessions;

  beforeEach(() => {
    store = new InMemoryStore();
    signOuts = new HeardSignOuts();
    sessions = new RepSessions(
      store,
      signOuts,
      loadServiceKitConfig({ REP_IDLE_TIMEOUT_MS: String(30 * MINUTE), REP_SESSION_MAX_MS: String(120 * MINUTE) }),
    );
  });

  afterEach(() => store.close());

  it('should start a session whose id finds it, with its absolute end', async () => {
    const now = Date.now();
    const session = await sessions.start(ADA, 'account', undefined, now);
    expect(session.repId).toMatch(/^rep_1_[\w-]{16}$/);
    expect(session.expiresAt).toBe(now + 120 * MINUTE);
    await expect(sessions.check(session.repId, now)).resolves.toMatchObject({ name: 'Ada L.', account: 'account:ada', via: 'account' });
  });

  it('should refuse an id whose random part does not match, and ids of no session', async () => {
    const session = await sessions.start(ADA, 'account');
    const forged = session.repId.replace(/_[\w-]{16}$/, '_AAAAAAAAAAAAAAAA');
    await expect(sessions.check(forged)).rejects.toThrow(UnauthenticatedError);
    await expect(sessions.check('rep_not_a_session')).rejects.toThrow(UnauthenticatedError);
  });

  it('should end a session everywhere: refused with the reason, and the consoles told', async () => {
    const session = await sessions.start(ADA, 'account');
    await expect(sessions.end(session.repId, 'by-supervisor')).resolves.toBe(true);
    await expect(sessions.check(session.repId)).rejects.toThrow('A supervisor signed you out.');
    expect(signOuts.heard).toEqual([{ repId: session.repId, reason: 'by-supervisor' }]);
    await expect(sessions.end(session.repId, 'signed-out')).resolves.toBe(false);
  });

  it('should end a session after the idle timeout, and keep it alive with activity', async () => {
    const start = Date.now();
    const idle = await sessions.start(ADA, 'account', undefined, start);
    const busy = await sessions.start(ADA, 'account', undefined, start);
    for (let t = 10; t <= 50; t += 10) await sessions.check(busy.repId, start + t * MINUTE);
    await expect(sessions.check(idle.repId, start + 31 * MINUTE)).rejects.toThrow('after a time without activity');
    await expect(sessions.check(busy.repId, start + 50.5 * MINUTE)).resolves.toMatchObject({ seenAt: start + 50 * MINUTE });
  });

  it('should end a session at its absolute end, however active', async () => {
    const start = Date.now();
    const session = await sessions.start(ADA, 'account', undefined, start);
    for (let t = 20; t < 120; t += 20) await sessions.check(session.repId, start + t * MINUTE);
    await expect(sessions.check(session.repId, start + 120 * MINUTE)).rejects.toThrow('expired');
  });

  it('should renew at most once a minute', async () => {
    const start = Date.now();
    const session = await sessions.start(ADA, 'account', undefined, start);
    await expect(sessions.check(session.repId, start + 30_000)).resolves.toMatchObject({ seenAt: start });
    await expect(sessions.check(session.repId, start + 61_000)).resolves.toMatchObject({ seenAt: start + 61_000 });
  });

  it('should list the live sessions, oldest first, without the ended and the idle', async () => {
    const start = Date.now();
    const ada = await sessions.start(ADA, 'account', undefined, start);
    const gone = await sessions.start({ ...ADA, name: 'Gone' }, 'passcode', undefined, start);
    const quiet = await sessions.start({ ...ADA, name: 'Quiet' }, 'passcode', undefined, start - 40 * MINUTE);
    const grace = await sessions.start({ ...ADA, name: 'Grace' }, 'sso', 'id-token', start);
    await sessions.end(gone.repId, 'signed-out');
    const live = await sessions.live(start);
    expect(live.map((s) => s.repId)).toEqual([ada.repId, grace.repId]);
    expect(live.map((s) => s.repId)).not.toContain(quiet.repId);
  });
});
