import { gzipSync, brotliCompressSync, deflateSync } from 'node:zlib';
import type { ApiError } from '@servicekit/contracts';
import { MemcachedServer, startMemcached } from '@servicekit/tools/testing';
import { storeErrors } from './observe';
import { rawRequest } from './raw-http';
import {
  call,
  createHelpSession,
  customerTokenFor,
  SHARED_SECRETS,
  signIn,
  TEST_OPS_TOKEN,
  ApiServer,
  startApiServer,
} from '@servicekit/tools/e2e-support';

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

  describe('ids that cannot exist (item 2)', () => {
    const labelled = (id: string): [string, string] => [id.length > 40 ? `${id.slice(0, 8)}… (${id.length} characters)` : id, id];
    const notFound = {
      statusCode: 404,
      error: 'Not Found',
      code: 'not_found',
      message: 'This help session does not exist or has expired. Please ask for help again.',
    };
    /** As they appear in the path: percent-encoded white space and NUL, too long, too short, foreign characters. */
    const badIds = [
      'a%20b',
      '%09',
      '%00',
      'a%00b',
      'x'.repeat(240),
      'x'.repeat(1000),
      'short',
      '%F0%9F%98%80'.repeat(6),
      'AAAAAAAAAAAAAAAAAAAA%2B%2F',
    ];

    it.each(badIds.map(labelled))(
      'should answer DELETE /help-sessions/%s with a rep token 404, with no store call failing',
      async (_, id) => {
        const before = await storeErrors(server.url);
        const reply = await call<ApiError>(server.url, 'DELETE', `/help-sessions/${id}`, { token: repToken });
        expect({ status: reply.status, body: reply.body }).toEqual({ status: 404, body: notFound });
        expect(await storeErrors(server.url)).toBe(before);
      },
    );

    it.each(badIds.map(labelled))(
      'should answer the queue routes of %s with its own customer token 404, with no store call failing',
      async (_, id) => {
        const before = await storeErrors(server.url);
        const token = customerTokenFor(decodeURIComponent(id));
        for (const method of ['POST', 'DELETE']) {
          const reply = await call<ApiError>(server.url, method, `/help-sessions/${id}/queue`, { token });
          expect({ method, status: reply.status, body: reply.body }).toEqual({ method, status: 404, body: notFound });
        }
        expect(await storeErrors(server.url)).toBe(before);
      },
    );

    it('should still serve a real id, and answer an unknown one of the right form 404', async () => {
      const session = (await createHelpSession(server.url)).body;
      expect((await call(server.url, 'POST', `/help-sessions/${session.id}/queue`, { token: session.customerToken })).status).toBe(201);
      const unknown = 'A'.repeat(22);
      const reply = await call<ApiError>(server.url, 'POST', `/help-sessions/${unknown}/queue`, { token: customerTokenFor(unknown) });
      expect(reply.body).toEqual(notFound);
      expect((await call(server.url, 'DELETE', `/help-sessions/${session.id}`, { token: session.customerToken })).status).toBe(204);
    });
  });

  describe('unknown fields named after Object.prototype members (item 3)', () => {
    const PROTOTYPE_NAMES = ['toString', '__proto__', 'constructor', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'toLocaleString'];
    const bodies: [string, string, string][] = [
      ['/help-sessions', 'valid fields', '"customerName":"Ada","problemText":"Help"'],
      ['/reps/sessions', 'valid fields', `"name":"Grace","passcode":"${SHARED_SECRETS.REP_PASSCODE}"`],
      ['/queue/next', 'valid fields', '"waitMs":0'],
      ['/queue/next', 'nothing', ''],
    ];
    const cases = bodies.flatMap(([path, label, fields]) => PROTOTYPE_NAMES.map((name) => [path, name, label, fields] as const));

    it.each(cases)('should refuse POST %s with an unknown field %s beside %s (400)', async (path, name, _, fields) => {
      const raw = `{${fields}${fields ? ',' : ''}${JSON.stringify(name)}:1}`;
      const reply = await call<ApiError>(server.url, 'POST', path, { raw, token: repToken });
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
      expect(Object.keys(reply.body.details ?? {})).toEqual([name]);
    });

    it('should not take declared fields from a __proto__ object', async () => {
      const reply = await call<ApiError>(server.url, 'POST', '/help-sessions', {
        raw: '{"__proto__":{"customerName":"Ada","problemText":"Help"}}',
      });
      expect(reply.status).toBe(400);
      expect(Object.keys(reply.body.details ?? {})).toEqual(['__proto__', 'customerName', 'problemText']);
    });

    it('should not run a claim for a body with {"toString":"x"}', async () => {
      const customer = (await createHelpSession(server.url, 'Queued Quentin')).body;
      expect((await call(server.url, 'POST', `/help-sessions/${customer.id}/queue`, { token: customer.customerToken })).status).toBe(201);
      const reply = await call<ApiError>(server.url, 'POST', '/queue/next', { raw: '{"toString":"x"}', token: repToken });
      expect(reply.status).toBe(400);
      const position = await call<{ position: number }>(server.url, 'POST', `/help-sessions/${customer.id}/queue`, {
        token: customer.customerToken,
      });
      expect(position.body.position).toBe(1);
      expect((await call(server.url, 'DELETE', `/help-sessions/${customer.id}`, { token: customer.customerToken })).status).toBe(204);
    });
  });

  describe('library messages that were not sentences (item 6)', () => {
    const json = Buffer.from('{"customerName":"Ada","problemText":"Help"}');
    const post = (headers: Record<string, string>, body: Buffer) =>
      rawRequest(server.url, {
        method: 'POST',
        path: '/api/help-sessions',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });

    it.each<[string, () => Promise<{ status: number; text: string }>, number, string]>([
      ['incorrect header check (gzip)', () => post({ 'content-encoding': 'gzip' }, json), 400, 'incorrect header check'],
      ['incorrect header check (deflate)', () => post({ 'content-encoding': 'deflate' }, json), 400, 'incorrect header check'],
      ['unexpected end of file', () => post({ 'content-encoding': 'gzip' }, gzipSync(json).subarray(0, 20)), 400, 'unexpected end of file'],
      ['Decompression failed (br)', () => post({ 'content-encoding': 'br' }, json), 400, 'Decompression failed'],
      [
        'unsupported content encoding "compress"',
        () => post({ 'content-encoding': 'compress' }, json),
        415,
        'unsupported content encoding',
      ],
      [
        'unsupported charset "LATIN1"',
        () => post({ 'content-type': 'application/json; charset=LATIN1' }, json),
        415,
        'unsupported charset',
      ],
      [
        'a UTF-16 body',
        () => post({ 'content-type': 'application/json; charset=utf-16le' }, Buffer.from(json.toString(), 'utf16le')),
        415,
        'charset',
      ],
      ["Failed to decode param '%'", () => rawRequest(server.url, { method: 'GET', path: '/%' }), 400, 'Failed to decode param'],
      [
        'Validation failed (object is expected)',
        () =>
          rawRequest(server.url, {
            method: 'POST',
            path: '/api/queue/next',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${repToken}` },
            body: Buffer.from('[]'),
          }),
        400,
        'object is expected',
      ],
    ])('should answer what was "%s" in the contract’s shape with a sentence', async (_, send, status, raw) => {
      const reply = await send();
      const body = JSON.parse(reply.text) as ApiError;
      expect(reply.status).toBe(status);
      expect(Object.keys(body).sort()).toEqual(expect.arrayContaining(['code', 'error', 'message', 'statusCode']));
      expect(body.statusCode).toBe(status);
      expect(body.message).toMatch(/^[A-Z][^]*\.$/);
      expect(reply.text).not.toContain(raw);
    });

    it('should still read bodies compressed with gzip, deflate and br', async () => {
      for (const [encoding, compress] of [
        ['gzip', gzipSync],
        ['deflate', deflateSync],
        ['br', brotliCompressSync],
      ] as const) {
        expect({ encoding, status: (await post({ 'content-encoding': encoding }, compress(json))).status }).toEqual({
          encoding,
          status: 201,
        });
      }
    });

    it('should start every validation message with a capital letter', async () => {
      const unknown = await call<ApiError>(server.url, 'POST', '/queue/next', { body: { waitMs: -1, admin: 1 }, token: repToken });
      expect(unknown.body.details).toEqual({
        admin: 'This request does not accept the field "admin". Remove it.',
        waitMs: 'The field "waitMs" must be a whole number of milliseconds from 0 to 25000.',
      });
    });
  });

  describe('the public readiness answer (item 7)', () => {
    it('should give the public the status only, and operators the checks, while memcached is down', async () => {
      await memcached.stop();
      try {
        const anonymous = await rawRequest(server.url, { method: 'GET', path: '/api/health/ready' });
        expect({ status: anonymous.status, body: JSON.parse(anonymous.text) as unknown }).toEqual({
          status: 503,
          body: { status: 'error' },
        });
        expect(anonymous.text).not.toContain(memcached.address);
        expect(anonymous.text).not.toMatch(/ECONNREFUSED|errno/i);

        const operator = await call<{ details: Record<string, { status: string; store?: string; message?: string }> }>(
          server.url,
          'GET',
          '/health/ready',
          { token: TEST_OPS_TOKEN },
        );
        expect(operator.status).toBe(503);
        expect(operator.body.details['store']).toMatchObject({
          status: 'down',
          store: `memcached (${memcached.address})`,
          message: expect.any(String),
        });
      } finally {
        await memcached.restart();
      }
    });
  });
});
