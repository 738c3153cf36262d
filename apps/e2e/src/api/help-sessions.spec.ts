import type { ApiError, CreateHelpSessionResponse } from '@servicekit/contracts';
import { MemcachedServer, startMemcached } from '@servicekit/tools/testing';
import {
  call,
  cancel,
  claimNext,
  createHelpSession,
  customerTokenFor,
  drainQueue,
  endSession,
  enqueue,
  mintToken,
  SHARED_SECRETS,
  signIn,
  ApiServer,
  startApiServer,
} from '@servicekit/tools/e2e-support';

type StoreKind = 'in-memory' | 'memcached';

/** The whole HTTP contract (docs/api.md), every error row included, against each store. */
describe.each<StoreKind>(['in-memory', 'memcached'])('help sessions and the queue over HTTP (%s store)', (kind) => {
  let memcached: MemcachedServer | undefined;
  let server: ApiServer;
  let base: string;

  beforeAll(async () => {
    memcached = kind === 'memcached' ? await startMemcached() : undefined;
    server = await startApiServer({
      ...SHARED_SECRETS,
      ...(memcached ? { MEMCACHED_SERVERS: memcached.address, MEMCACHED_TIMEOUT_MS: '500' } : {}),
      HELP_SESSION_RATE_LIMIT: '0',
      SIGN_IN_RATE_LIMIT: '0',
    });
    base = server.url;
  });

  afterAll(async () => {
    await server?.stop();
    await memcached?.stop();
  });

  beforeEach(() => drainQueue(base));

  describe('POST /api/help-sessions', () => {
    it('should create a help session with a secret customer token and P2P video credentials', async () => {
      const reply = await createHelpSession(base, '  Ada  ', 'My router blinks red.');
      expect(reply.status).toBe(201);
      expect(reply.body).toEqual({
        id: expect.stringMatching(/^[\w-]{16,}$/),
        customerToken: expect.any(String),
        video: {
          provider: 'p2p',
          sessionId: expect.stringMatching(/^p2p_/),
          token: expect.any(String),
          iceServers: [],
          iceTransportPolicy: 'all',
        },
      });
    });

    it.each([
      [{ problemText: 'x' }, 'customerName', 'Your name is required.'],
      [{ customerName: '   ', problemText: 'x' }, 'customerName', 'Your name is required.'],
      [{ customerName: 'a'.repeat(51), problemText: 'x' }, 'customerName', 'Your name must be at most 50 characters (it has 51).'],
      [
        { customerName: 'Ada', problemText: 'p'.repeat(201) },
        'problemText',
        'The description of your problem must be at most 200 characters (it has 201).',
      ],
      [{ customerName: 42, problemText: 'x' }, 'customerName', 'Your name must be text.'],
      [{ customerName: 'Ada', problemText: 'x', admin: true }, 'admin', 'This request does not accept the field "admin". Remove it.'],
    ])('should answer %j with 400 and a message for the field', async (body, field, message) => {
      const reply = await call<ApiError>(base, 'POST', '/help-sessions', { body });
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'validation_failed' });
      expect(reply.body.details?.[field]).toBe(message);
    });

    it('should count characters, not bytes: 50 emoji are a valid name', async () => {
      expect((await createHelpSession(base, '😀'.repeat(50))).status).toBe(201);
    });

    it.each([
      ['malformed JSON', '{"customerName": "Ada",', 400, 'malformed_json'],
      ['a JSON array', '[{"customerName": "Ada"}]', 400, 'validation_failed'],
      ['a JSON string', '"Ada"', 400, 'malformed_json'],
      ['an oversized body', JSON.stringify({ customerName: 'Ada', problemText: 'x'.repeat(40_000) }), 413, 'payload_too_large'],
    ])('should answer %s with %i and a sentence, never a 500', async (_, raw, status, code) => {
      const reply = await call<ApiError>(base, 'POST', '/help-sessions', { raw });
      expect(reply.status).toBe(status);
      expect(reply.body).toMatchObject({ statusCode: status, code, message: expect.stringMatching(/\.$/) });
    });
  });

  describe('POST /api/help-sessions/:id/queue', () => {
    it('should queue the customer with a position and, with no rep online, no estimate but the reason, idempotently', async () => {
      const first = (await createHelpSession(base)).body;
      const second = (await createHelpSession(base)).body;
      expect((await enqueue(base, first)).body).toEqual({ position: 1, estimatedWaitMs: null, estimateReason: 'no_rep_online' });
      const reply = await enqueue(base, second);
      expect(reply.status).toBe(201);
      expect(reply.body).toEqual({ position: 2, estimatedWaitMs: null, estimateReason: 'no_rep_online' });
      const retries = await Promise.all([enqueue(base, second), enqueue(base, second)]);
      expect(retries.map((r) => [r.status, r.body.position])).toEqual([
        [201, 2],
        [201, 2],
      ]);
    });

    it("should refuse without the customer token, with another session's token or a rep token (401)", async () => {
      const session = (await createHelpSession(base)).body;
      const other = (await createHelpSession(base)).body;
      const rep = (await signIn(base)).body.token;
      const path = `/help-sessions/${session.id}/queue`;
      for (const token of [undefined, other.customerToken, rep, 'not-a-token', customerTokenFor(session.id, -60)]) {
        const reply = await call<ApiError>(base, 'POST', path, { token });
        expect(reply.status).toBe(401);
        expect(reply.body.code).toBe('unauthorized');
      }
      const forged = mintToken({ sub: session.id, aud: 'servicekit-customer', exp: 9_999_999_999 }, 'some-other-secret-0123456789abcdef');
      expect((await call(base, 'POST', path, { token: forged })).status).toBe(401);
    });

    it('should answer 404 for a help session that does not exist (or expired)', async () => {
      const reply = await call<ApiError>(base, 'POST', '/help-sessions/no-such-session/queue', {
        token: customerTokenFor('no-such-session'),
      });
      expect(reply.status).toBe(404);
      expect(reply.body.message).toMatch(/ask for help again/);
    });

    it('should answer 409 once the help session has ended', async () => {
      const session = (await createHelpSession(base)).body;
      expect((await endSession(base, session.id, session.customerToken)).status).toBe(204);
      const reply = await enqueue(base, session);
      expect(reply.status).toBe(409);
      expect((reply.body as unknown as ApiError).code).toBe('help_session_ended');
    });
  });

  describe('DELETE /api/help-sessions/:id/queue', () => {
    it('should take the customer out so no rep ever gets them, and be safe to retry', async () => {
      const leaving = (await createHelpSession(base)).body;
      const staying = (await createHelpSession(base)).body;
      await enqueue(base, leaving);
      await enqueue(base, staying);
      expect((await cancel(base, leaving)).status).toBe(204);
      expect((await cancel(base, leaving)).status).toBe(204);
      expect((await enqueue(base, staying)).body.position).toBe(1);
      const rep = (await signIn(base)).body.token;
      expect((await claimNext(base, rep)).body?.helpSession.id).toBe(staying.id);
      expect((await claimNext(base, rep)).status).toBe(204);
    });

    it('should answer 409 when a rep already took the customer', async () => {
      const session = (await createHelpSession(base)).body;
      await enqueue(base, session);
      await claimNext(base, (await signIn(base)).body.token);
      const reply = await cancel(base, session);
      expect(reply.status).toBe(409);
      expect((reply.body as ApiError).code).toBe('already_taken');
    });

    it('should answer 401 without the token and 404 for an unknown session', async () => {
      const session = (await createHelpSession(base)).body;
      expect((await call(base, 'DELETE', `/help-sessions/${session.id}/queue`)).status).toBe(401);
      const unknown = await call(base, 'DELETE', '/help-sessions/gone/queue', { token: customerTokenFor('gone') });
      expect(unknown.status).toBe(404);
    });

    it('should answer 404 for a session that never queued', async () => {
      const session = (await createHelpSession(base)).body;
      const reply = await cancel(base, session);
      expect(reply.status).toBe(404);
      expect((reply.body as ApiError).message).toBe('This help session is not waiting in the queue.');
    });
  });

  describe('DELETE /api/help-sessions/:id', () => {
    it('should let the customer end it, idempotently, and delete the personal data', async () => {
      const session = (await createHelpSession(base)).body;
      await enqueue(base, session);
      expect((await endSession(base, session.id, session.customerToken)).status).toBe(204);
      expect((await endSession(base, session.id, session.customerToken)).status).toBe(204);
      expect((await claimNext(base, (await signIn(base)).body.token)).status).toBe(204);
    });

    it('should let the matched rep end it, and nobody else', async () => {
      const session = (await createHelpSession(base)).body;
      await enqueue(base, session);
      const matched = (await signIn(base, 'Matched')).body.token;
      const other = (await signIn(base, 'Other')).body.token;
      expect((await claimNext(base, matched)).status).toBe(200);
      expect((await endSession(base, session.id, other)).status).toBe(401);
      expect((await endSession(base, session.id, (await createHelpSession(base)).body.customerToken)).status).toBe(401);
      expect((await endSession(base, session.id, matched)).status).toBe(204);
    });

    it('should answer 401 without a token and 404 for an unknown session', async () => {
      expect((await call(base, 'DELETE', '/help-sessions/whatever')).status).toBe(401);
      expect((await endSession(base, 'unknown-id', customerTokenFor('unknown-id'))).status).toBe(404);
    });
  });

  describe('POST /api/reps/sessions', () => {
    it('should sign a rep in with a token and an httpOnly __Host- cookie', async () => {
      const reply = await signIn(base, ' Grace Hopper ');
      expect(reply.status).toBe(201);
      expect(reply.body).toEqual({
        token: expect.any(String),
        repId: expect.stringMatching(/^rep_\d+_/),
        name: 'Grace Hopper',
        roles: ['rep'],
        via: 'passcode',
        expiresAt: expect.any(String),
      });
      expect(new Date(reply.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
      const cookie = reply.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^__Host-sk_rep=[^;]+;/);
      expect(cookie).toMatch(/Path=\/;/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/Secure/);
      expect(cookie).toMatch(/SameSite=Strict/);
    });

    it('should answer 401 for a wrong passcode and 400 for a missing name', async () => {
      const wrong = await signIn(base, 'Grace', 'not-the-passcode');
      expect(wrong.status).toBe(401);
      expect((wrong.body as unknown as ApiError).message).toMatch(/passcode/);
      const missing = await call<ApiError>(base, 'POST', '/reps/sessions', { body: { passcode: 'x' } });
      expect(missing.status).toBe(400);
      expect(missing.body.details?.['name']).toBe('Your display name is required.');
    });
  });

  describe('POST /api/queue/next', () => {
    it('should hand the rep the first customer with name, problem and a rep video token', async () => {
      const session = (await createHelpSession(base, 'Ada', '<b>not html</b>')).body;
      await enqueue(base, session);
      const reply = await claimNext(base, (await signIn(base, 'Grace')).body.token);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        matchId: expect.stringMatching(/^m_/),
        helpSession: { id: session.id, customerName: 'Ada', problemText: '<b>not html</b>', waitedMs: expect.any(Number) },
        video: {
          provider: 'p2p',
          sessionId: session.video.sessionId,
          token: expect.any(String),
          iceServers: [],
          iceTransportPolicy: 'all',
        },
        noShowMs: 5000,
      });
      expect(reply.body?.video.token).not.toBe(session.video.token);
    });

    it('should answer 204 when nobody waits', async () => {
      expect((await claimNext(base, (await signIn(base)).body.token)).status).toBe(204);
    });

    it('should accept the rep cookie instead of the bearer token, from this origin only', async () => {
      const cookie = ((await signIn(base)).headers.get('set-cookie') ?? '').split(';')[0];
      expect((await call(base, 'POST', '/queue/next', { cookie, origin: base, body: {} })).status).toBe(204);
      expect((await call(base, 'POST', '/queue/next', { cookie, origin: 'http://127.0.0.1:1', body: {} })).status).toBe(403);
    });

    it('should wait for a customer to arrive when asked to (long-poll)', async () => {
      const rep = (await signIn(base)).body.token;
      const waiting = claimNext(base, rep, 20_000);
      const session: CreateHelpSessionResponse = (await createHelpSession(base)).body;
      await enqueue(base, session);
      const reply = await waiting;
      expect(reply.status).toBe(200);
      expect(reply.body?.helpSession.id).toBe(session.id);
    });

    it('should answer 401 without a rep token, also for a customer token', async () => {
      expect((await call(base, 'POST', '/queue/next', { body: {} })).status).toBe(401);
      const customer = (await createHelpSession(base)).body.customerToken;
      expect((await call(base, 'POST', '/queue/next', { token: customer, body: {} })).status).toBe(401);
    });

    it('should answer 400 for a wait beyond 25 s', async () => {
      const reply = await claimNext(base, (await signIn(base)).body.token, 60_000);
      expect(reply.status).toBe(400);
      expect((reply.body as unknown as ApiError).details?.['waitMs']).toMatch(/from 0 to 25000/);
    });
  });
});
