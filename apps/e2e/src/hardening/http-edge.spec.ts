import type { ApiError } from '@servicekit/contracts';
import { MemcachedServer, startMemcached } from '@servicekit/tools/testing';
import { call, SHARED_SECRETS, signIn } from '../support/api-client';
import { ApiServer, startApiServer } from '../support/api-server';

/** The reproductions of issue 10 at the HTTP edge, each answering as the contract says. */
describe('the HTTP edge against bad input (issue 10)', () => {
  let memcached: MemcachedServer;
  let server: ApiServer;
  let repToken: string;

  beforeAll(async () => {
    memcached = await startMemcached();
    server = await startApiServer({
      ...SHARED_SECRETS,
      MEMCACHED_SERVERS: memcached.address,
      MEMCACHED_TIMEOUT_MS: '500',
      HELP_SESSION_RATE_LIMIT: '0',
      SIGN_IN_RATE_LIMIT: '0',
    });
    repToken = (await signIn(server.url)).body.token;
  });

  afterAll(async () => {
    await server?.stop();
    await memcached?.stop();
  });

  describe('deeply nested JSON (item 1)', () => {
    const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

    it.each([
      ['/help-sessions', nested(3000)],
      ['/help-sessions', `{"customerName":"Ada","problemText":${nested(3000)}}`],
      ['/help-sessions', `{"customerName":"Ada","problemText":"Help","extra":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`],
      ['/reps/sessions', nested(3000)],
      ['/reps/sessions', `{"name":"Grace","passcode":${nested(3000)}}`],
      ['/queue/next', nested(3000)],
      ['/queue/next', `{"waitMs":${nested(3000)}}`],
    ])('should answer POST %s with a body nested thousands deep (%#) with 400 and a sentence', async (path, raw) => {
      const reply = await call<ApiError>(server.url, 'POST', path, { raw, token: repToken });
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'validation_failed',
        message: 'The request body is nested too deeply (more than 32 levels). Send a flat JSON object.',
      });
    });

    it('should still answer a field nested a few levels deep with that field’s own message', async () => {
      const reply = await call<ApiError>(server.url, 'POST', '/help-sessions', {
        raw: `{"customerName":"Ada","problemText":${nested(10)}}`,
      });
      expect(reply.status).toBe(400);
      expect(reply.body.details).toEqual({ problemText: 'The description of your problem must be text.' });
    });
  });
});
