import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { PresenceClient } from '@servicekit/client/presence';
import type { CreateHelpSessionResponse } from '@servicekit/contracts';
import { MemcachedServer, startMemcached } from '@servicekit/tools/testing';
import { fuzzRuns, fuzzSeed, replayHint } from './fuzz-seed';
import { badIdInPath, badValue, build, extraKey, oddString, Value } from './fuzz-values';
import { httpViolations, loggedErrors, watchForDeath } from './invariants';
import { storeErrors } from './observe';
import { rawRequest, RawRequest } from './raw-http';
import {
  call,
  claimNext,
  createHelpSession,
  customerTokenFor,
  enqueue,
  mintToken,
  SHARED_SECRETS,
  signIn,
  TEST_OPS_TOKEN,
  ApiServer,
  startApiServer,
} from '@servicekit/tools/e2e-support';

/** At least this many generated requests per run (FUZZ_RUNS for more), spread over every operation of the OpenAPI document. */
const HTTP_CASES = fuzzRuns(2_000);
/** Requests to the rate-limited instance, whose 429 bodies are checked. */
const RATE_LIMIT_CASES = 120;
const SEED = fuzzSeed();

interface Schema {
  type?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  $ref?: string;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string }[];
        security?: Record<string, string[]>[];
        requestBody?: { content: Record<string, { schema: Schema }> };
      }
    >
  >;
  components: { schemas: Record<string, Schema> };
}

/** One operation of the document: what the generator knows of it. */
interface Operation {
  /** "POST /api/help-sessions/{id}/queue" */
  label: string;
  method: string;
  path: string;
  query: string[];
  schemes: string[];
  body?: Schema;
}

function operationsOf(document: OpenApiDocument): Operation[] {
  const resolve = (schema: Schema): Schema =>
    schema.$ref ? (document.components.schemas[schema.$ref.split('/').pop() ?? ''] ?? {}) : schema;
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const schema = operation.requestBody?.content['application/json']?.schema;
      return {
        label: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        query: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        schemes: (operation.security ?? []).flatMap((requirement) => Object.keys(requirement)),
        body: schema ? resolve(schema) : undefined,
      };
    }),
  );
}

/** Who the request claims to be. Valid credentials are the API's own; the rest are forged, expired or junk. */
const AUTHS = [
  'none',
  'customer',
  'other-customer',
  'rep',
  'rep-cookie',
  'ops',
  'forged-customer',
  'expired-customer',
  'forged-rep',
  'expired-rep',
  'alg-none',
  'garbage',
  'basic',
  'bearer-only',
  'huge',
  'junk-cookie',
  'ops-and-rep-cookie',
  'wrong-ops',
] as const;
type Auth = (typeof AUTHS)[number];
/** Credentials that get a claim through the rep guard (with both, the bearer counts: the ops token is no rep's). */
const VALID_REP: readonly Auth[] = ['rep', 'rep-cookie'];
const CARRIES_OPS: readonly Auth[] = ['ops', 'ops-and-rep-cookie'];

const ENCODINGS = [
  'none',
  'identity',
  'gzip',
  'deflate',
  'br',
  'GZIP',
  'gzip-unzipped',
  'deflate-unzipped',
  'br-unzipped',
  'gzip-truncated',
  'compress',
  'zstd',
  'x-gzip',
  'gzip, br',
  'empty',
] as const;
type Encoding = (typeof ENCODINGS)[number];

const CONTENT_TYPES = [
  null,
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=UTF-8',
  'application/json; charset="utf-8"',
  'application/json; charset=LATIN1',
  'application/json; charset=utf-16le',
  'application/json; charset=utf-32',
  'application/json; charset=utf-7',
  'application/json; charset=nonsense',
  'application/json;;;',
  'application/json; charset',
  'APPLICATION/JSON',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/vnd.api+json',
  '*/*',
  '',
] as const;

const latin1 = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code === 0x7f ? 0x20 : code)),
  maxLength: 40,
});

const EXTRA_HEADER: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(
    fc.constantFrom(
      'x-request-id',
      'x-forwarded-for',
      'accept',
      'accept-encoding',
      'origin',
      'referer',
      'user-agent',
      'cookie',
      'x-http-method-override',
      'range',
      'if-none-match',
      'host',
    ),
    fc.oneof(latin1, fc.constantFrom('', ' ', 'x'.repeat(7000), '*/*;q=2', '../../etc/passwd', 'null', '%00')),
  ),
  fc.constantFrom<[string, string]>(
    ['expect', '100-continue'],
    ['expect', 'nonsense'],
    ['transfer-encoding', 'chunked'],
    ['transfer-encoding', 'gzip'],
    ['upgrade', 'websocket'],
    ['content-type', 'application/json'],
    ['x-request-id', 'a b "c"'],
    ['x-forwarded-for', '1.1.1.1, 2.2.2.2'],
    ['accept', 'text/html'],
  ),
);

type Target = { session: number } | { sentinel: true } | { raw: string };

type Body = { none: true } | { value: Value } | { text: string } | { bytes: number[] };

interface HttpCase {
  op: string;
  method: string;
  target: Target;
  suffix: string;
  upper: boolean;
  auth: Auth;
  contentType: (typeof CONTENT_TYPES)[number];
  encoding: Encoding;
  body: Body;
  /**
   * Extra headers, junk included (latin-1 bytes, huge values, odd Expect and Transfer-Encoding). Not a lying
   * Content-Length: the server rightly waits for the bytes announced.
   */
  extra: [string, string][];
}

const MALFORMED_JSON = [
  '{',
  '}',
  '{"customerName":',
  '{"a":1,}',
  '[1,]',
  "{'a':1}",
  '{"a":1}}',
  '{"a":1}{"b":2}',
  'nul',
  'tru',
  '\ufeff{}',
  '{"a":"\\x"}',
  '{"a":"\\u12"}',
  '{"a":1e999}',
  '{"a":-}',
  '{"a":01}',
  '{"a":NaN}',
  '{"a":undefined}',
  '{"__proto__":1,"__proto__":{"x":1}}',
  '{"customerName":"a","customerName":"b","problemText":"c"}',
  '   ',
  '\u0000',
  '{"a":"\u0000"}',
  '{"a":"\ud800"}',
  '{"waitMs":1,"waitMs":"1"}',
];

const INVALID_UTF8 = [
  [0xff, 0xfe, 0x7b, 0x7d],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d],
  [0xef, 0xbb, 0xbf, 0x7b, 0x7d],
  [0x00, 0x7b, 0x00, 0x7d],
];

function validValueFor(schema: Schema): fc.Arbitrary<Value> {
  if (schema.type === 'number' || schema.type === 'integer') {
    return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000 }).map((json) => ({ json }));
  }
  if (schema.format === 'password') {
    return fc.oneof(fc.constant(SHARED_SECRETS.REP_PASSCODE), fc.string({ minLength: 1, maxLength: 30 })).map((json) => ({ json }));
  }
  return fc.string({ unit: 'grapheme', minLength: 1, maxLength: schema.maxLength ?? 30 }).map((json) => ({ json }));
}

/** A body for the operation: from its schema (each field valid, wrong or missing, plus unknown fields), or junk. */
function bodyFor(operation: Operation): fc.Arbitrary<Body> {
  const junk: fc.Arbitrary<Body>[] = [
    badValue.map((value) => ({ value })),
    fc.oneof(fc.constantFrom(...MALFORMED_JSON), fc.string({ maxLength: 40 }), oddString(40)).map((text) => ({ text })),
    fc.oneof(fc.constantFrom(...INVALID_UTF8), fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 40 })).map((bytes) => ({ bytes })),
  ];
  if (!operation.body?.properties) return fc.oneof({ weight: 6, arbitrary: fc.constant<Body>({ none: true }) }, ...junk);
  const fields = Object.entries(operation.body.properties).map(([name, schema]) =>
    fc
      .oneof(
        { weight: 3, arbitrary: validValueFor(schema) },
        { weight: 2, arbitrary: badValue },
        { weight: 1, arbitrary: fc.constant(null) },
      )
      .map((value) => (value === null ? null : ([name, value] as [string, Value]))),
  );
  const object = fc
    .tuple(fc.tuple(...fields), fc.array(fc.tuple(extraKey, fc.oneof(badValue, fc.constant<Value>({ json: 1 }))), { maxLength: 3 }))
    .map(
      ([declared, extra]): Body => ({
        value: { fields: [...declared.filter((field): field is [string, Value] => field !== null), ...extra] },
      }),
    );
  return fc.oneof({ weight: 5, arbitrary: object }, { weight: 1, arbitrary: fc.constant<Body>({ none: true }) }, ...junk);
}

/**
 * A claim with a valid rep token runs for real: to keep the customer queued before the storm at the front, a
 * valid rep only ever sends claim bodies the API must refuse (and the suite checks that it does).
 */
const refusedClaimBody: fc.Arbitrary<Body> = fc.oneof(
  fc
    .tuple(
      fc.option(fc.integer({ min: 0, max: 25_000 })),
      extraKey.filter((key) => key !== 'waitMs'),
      badValue,
    )
    .map(([waitMs, key, value]) => ({
      value: { fields: [...(waitMs === null ? [] : [['waitMs', { json: waitMs }] as [string, Value]]), [key, value] as [string, Value]] },
    })),
  fc
    .oneof(
      fc.oneof(
        fc.integer({ max: -1 }),
        fc.integer({ min: 25_001 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
      ),
      // Not null: an optional field may be null, which means absent.
      fc.constantFrom('0', '100', true, [], {}, [0], -0.5),
    )
    .map((waitMs): Body => ({ value: { fields: [['waitMs', { json: waitMs }]] } })),
  fc.constantFrom<Body>(
    { value: { json: [] } },
    { value: { json: [1] } },
    { value: { json: [{ waitMs: 0 }] } },
    { value: { deep: 40, of: 'array' } },
    { value: { deep: 40, of: 'object' } },
    { text: '{' },
    { text: '{"waitMs":0,}' },
    { text: '0' },
    { text: '"x"' },
    { value: { fields: [['waitMs', { huge: 20_000, char: '1' }]] } },
  ),
);

const PARSED_ENCODINGS: readonly Encoding[] = ['none', 'identity', 'gzip', 'deflate', 'br', 'GZIP'];

function caseFor(operation: Operation): fc.Arbitrary<HttpCase> {
  const hasId = operation.path.includes('{id}');
  const target: fc.Arbitrary<Target> = hasId
    ? fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 0, max: 2 }).map((session) => ({ session })) },
        { weight: 1, arbitrary: fc.constant({ sentinel: true as const }) },
        { weight: 5, arbitrary: badIdInPath.map((raw) => ({ raw })) },
      )
    : fc.constant({ session: 0 });
  const ownAuth: Auth[] = operation.schemes.flatMap((scheme): Auth[] =>
    scheme === 'customer' ? ['customer'] : scheme === 'rep' ? ['rep', 'rep-cookie'] : scheme === 'operator' ? ['ops'] : [],
  );
  const auth = fc.oneof(
    { weight: 3, arbitrary: ownAuth.length > 0 ? fc.constantFrom(...ownAuth) : fc.constant<Auth>('none') },
    { weight: 4, arbitrary: fc.constantFrom(...AUTHS) },
  );
  const suffixes = [
    '',
    '/',
    '?x=1',
    '?a=%ZZ',
    '?__proto__[x]=1&constructor=1',
    '?' + 'q'.repeat(3000),
    ...operation.query.flatMap((q) => [`?${q}=1`, `?${q}=%`, `?${q}=1&${q}=2`, `?${q}[a]=1`]),
  ];
  const general = fc.record({
    op: fc.constant(operation.label),
    method: fc.oneof(
      { weight: 9, arbitrary: fc.constant(operation.method) },
      { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') },
    ),
    target,
    suffix: fc.oneof({ weight: 8, arbitrary: fc.constant('') }, { weight: 2, arbitrary: fc.constantFrom(...suffixes) }),
    upper: fc.oneof({ weight: 19, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    auth,
    contentType: fc.oneof(
      { weight: 6, arbitrary: fc.constant('application/json' as const) },
      { weight: 4, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
    ),
    encoding: fc.oneof({ weight: 6, arbitrary: fc.constant<Encoding>('none') }, { weight: 4, arbitrary: fc.constantFrom(...ENCODINGS) }),
    body: bodyFor(operation),
    extra: fc.oneof(
      { weight: 4, arbitrary: fc.constant<[string, string][]>([]) },
      { weight: 1, arbitrary: fc.array(EXTRA_HEADER, { minLength: 1, maxLength: 3 }) },
    ),
  });
  if (operation.label !== 'POST /api/queue/next') return general;
  return fc
    .tuple(general, refusedClaimBody, fc.constantFrom(...PARSED_ENCODINGS))
    .map(([request, body, encoding]) =>
      VALID_REP.includes(request.auth) && request.method === 'POST'
        ? { ...request, body, encoding, contentType: 'application/json' }
        : request,
    );
}

/** Whether the API must refuse the case as a bad claim (a valid rep sending a body no claim accepts). */
const mustRefuseClaim = (request: HttpCase) =>
  request.op === 'POST /api/queue/next' && request.method === 'POST' && VALID_REP.includes(request.auth);

interface Pool {
  sessions: CreateHelpSessionResponse[];
  sentinel: CreateHelpSessionResponse;
  repToken: string;
}

function bodyBytes(body: Body): Buffer | undefined {
  if ('none' in body) return undefined;
  if ('text' in body) return Buffer.from(body.text, 'utf8');
  if ('bytes' in body) return Buffer.from(body.bytes);
  return Buffer.from(JSON.stringify(build(body.value)) ?? 'null', 'utf8');
}

function encode(bytes: Buffer | undefined, encoding: Encoding): { bytes: Buffer | undefined; header?: string } {
  const data = bytes ?? Buffer.alloc(0);
  switch (encoding) {
    case 'none':
      return { bytes };
    case 'gzip':
    case 'GZIP':
      return { bytes: gzipSync(data), header: encoding };
    case 'deflate':
      return { bytes: deflateSync(data), header: 'deflate' };
    case 'br':
      return { bytes: brotliCompressSync(data), header: 'br' };
    case 'gzip-unzipped':
      return { bytes: data, header: 'gzip' };
    case 'deflate-unzipped':
      return { bytes: data, header: 'deflate' };
    case 'br-unzipped':
      return { bytes: data, header: 'br' };
    case 'gzip-truncated':
      return { bytes: gzipSync(data).subarray(0, 12), header: 'gzip' };
    case 'empty':
      return { bytes, header: '' };
    default:
      return { bytes, header: encoding };
  }
}

function toRequest(request: HttpCase, pool: Pool): RawRequest {
  const sessionAt = (index: number) => pool.sessions[index % pool.sessions.length] ?? pool.sentinel;
  const id =
    'session' in request.target
      ? sessionAt(request.target.session).id
      : 'sentinel' in request.target
        ? pool.sentinel.id
        : request.target.raw;
  let path = request.op.slice(request.op.indexOf(' ') + 1).replace('{id}', id) + request.suffix;
  if (request.upper) path = path.toUpperCase();
  const own = 'session' in request.target ? sessionAt(request.target.session) : sessionAt(0);
  const other = pool.sessions.find((session) => session !== own) ?? pool.sentinel;
  const headers: Record<string, string> = {};
  const bearer = (token: string) => (headers['authorization'] = `Bearer ${token}`);
  const now = Math.floor(Date.now() / 1000);
  switch (request.auth) {
    case 'none':
      break;
    case 'customer':
      bearer(own.customerToken);
      break;
    case 'other-customer':
      bearer(other.customerToken);
      break;
    case 'rep':
      bearer(pool.repToken);
      break;
    case 'rep-cookie':
      headers['cookie'] = `__Host-sk_rep=${pool.repToken}`;
      break;
    case 'ops':
      bearer(TEST_OPS_TOKEN);
      break;
    case 'forged-customer':
      bearer(mintToken({ sub: pool.sentinel.id, aud: 'servicekit-customer', exp: now + 600 }, 'a-forger-secret-0123456789abcdefghijkl'));
      break;
    case 'expired-customer':
      bearer(customerTokenFor(pool.sentinel.id, -600));
      break;
    case 'forged-rep':
      bearer(
        mintToken({ sub: 'rep_forged', name: 'Mallory', aud: 'servicekit-rep', exp: now + 600 }, 'a-forger-secret-0123456789abcdefghijkl'),
      );
      break;
    case 'expired-rep':
      bearer(mintToken({ sub: 'rep_expired', name: 'Old', aud: 'servicekit-rep', iat: now - 7200, exp: now - 3600 }));
      break;
    case 'alg-none': {
      const encodePart = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      bearer(
        `${encodePart({ alg: 'none', typ: 'JWT' })}.${encodePart({ sub: pool.sentinel.id, aud: 'servicekit-customer', exp: now + 600 })}.`,
      );
      break;
    }
    case 'garbage':
      bearer('not.a.token');
      break;
    case 'basic':
      headers['authorization'] = `Basic ${Buffer.from('rep:passcode').toString('base64')}`;
      break;
    case 'bearer-only':
      headers['authorization'] = 'Bearer';
      break;
    case 'huge':
      bearer('x'.repeat(6000));
      break;
    case 'junk-cookie':
      headers['cookie'] = '__Host-sk_rep=%E0%A4%A; __Host-sk_rep=; =; a';
      break;
    case 'ops-and-rep-cookie':
      bearer(TEST_OPS_TOKEN);
      headers['cookie'] = `__Host-sk_rep=${pool.repToken}`;
      break;
    case 'wrong-ops':
      bearer(`${TEST_OPS_TOKEN}x`);
      break;
  }
  for (const [name, value] of request.extra) headers[name] = value;
  if (request.contentType !== null) headers['content-type'] = request.contentType;
  const encoded = encode(bodyBytes(request.body), request.encoding);
  if (encoded.header !== undefined) headers['content-encoding'] = encoded.header;
  return { method: request.method, path, headers, body: encoded.bytes };
}

function describeRequest(request: RawRequest): string {
  const body = request.body ? request.body.toString('utf8') : '';
  return `${request.method} ${request.path.slice(0, 160)} ${JSON.stringify(request.headers).slice(0, 300)} body(${request.body?.length ?? 0} bytes): ${body.slice(0, 200)}`;
}

describe('fuzzing every HTTP endpoint (fast-check, generated from the OpenAPI document)', () => {
  let memcached: MemcachedServer;
  let server: ApiServer;
  let limited: ApiServer;
  let sentinelClient: PresenceClient | undefined;

  beforeAll(async () => {
    memcached = await startMemcached();
    const env = { ...SHARED_SECRETS, MEMCACHED_SERVERS: memcached.address, MEMCACHED_TIMEOUT_MS: '1000' };
    [server, limited] = await Promise.all([
      startApiServer({ ...env, HELP_SESSION_RATE_LIMIT: '0', SIGN_IN_RATE_LIMIT: '0' }),
      startApiServer({ ...env, KEY_PREFIX: 'limited:', HELP_SESSION_RATE_LIMIT: '2', SIGN_IN_RATE_LIMIT: '2' }),
    ]);
    console.log(`fuzz-http: seed ${SEED}. ${replayHint('fuzz-http', SEED)}`);
  });

  afterAll(async () => {
    sentinelClient?.close();
    await Promise.all([server?.stop(), limited?.stop()]);
    await memcached?.stop();
  });

  it('should answer thousands of bad requests without a 5xx, a leak or a store error, and keep the queue intact', async () => {
    const document = (await call<OpenApiDocument>(server.url, 'GET', '/docs-json')).body;
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThanOrEqual(12);

    // A customer waiting before the storm, with a live socket: still first after it, and the one a rep takes.
    const sentinel = (await createHelpSession(server.url, 'Stella Sentinel', 'Queued before the storm')).body;
    sentinelClient = new PresenceClient({ url: server.url, token: sentinel.customerToken });
    await sentinelClient.ready();
    expect((await enqueue(server.url, sentinel)).body.position).toBe(1);
    const pool: Pool = {
      sentinel,
      sessions: await Promise.all([0, 1, 2].map(async (i) => (await createHelpSession(server.url, `Fuzz ${i}`, 'Generated')).body)),
      repToken: (await signIn(server.url, 'Fuzz Rep')).body.token,
    };
    const errorsBefore = await storeErrors(server.url);

    const perOperation = new Map<string, number>();
    const statuses = new Map<number, number>();
    let runs = 0;
    const started = Date.now();
    const death = watchForDeath(server);
    const property = fc.asyncProperty(fc.oneof(...operations.map(caseFor)), async (generated) => {
      runs++;
      death.before();
      perOperation.set(generated.op, (perOperation.get(generated.op) ?? 0) + 1);
      const request = toRequest(generated, pool);
      const reply = await rawRequest(server.url, request, 8_000).finally(() => death.after(JSON.stringify(generated)));
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      const operatorDetail = CARRIES_OPS.includes(generated.auth) && generated.method === 'GET' && generated.op === 'GET /api/health/ready';
      const problems = httpViolations(reply.status, reply.text, { memcachedAddress: memcached.address, operatorDetail });
      if (mustRefuseClaim(generated) && reply.status < 400) {
        problems.push(`a valid rep's claim with a body no claim accepts answered ${reply.status}: it ran`);
      }
      if (problems.length > 0) {
        throw new Error(`${describeRequest(request)}\n→ ${reply.status} ${reply.text.slice(0, 400)}\n- ${problems.join('\n- ')}`);
      }
      // A case that signed the pool's rep out ended that session everywhere: later cases get a fresh one.
      if (
        request.method === 'DELETE' &&
        generated.op === 'DELETE /api/reps/sessions' &&
        reply.status < 300 &&
        VALID_REP.includes(generated.auth)
      ) {
        pool.repToken = (await signIn(server.url, 'Fuzz Rep')).body.token;
      }
    });
    // At least 100 per operation on average, so that every operation gets its 50 whatever the seed.
    const wanted = Math.max(HTTP_CASES, operations.length * 100);
    await fc.assert(property, { seed: SEED, numRuns: wanted });
    const seconds = (Date.now() - started) / 1000;

    console.log(
      [
        `fuzz-http: ${runs} cases in ${seconds.toFixed(1)} s (seed ${SEED}) over ${operations.length} operations`,
        ...[...perOperation].map(([label, count]) => `  ${String(count).padStart(4)}  ${label}`),
        `  statuses: ${[...statuses]
          .sort(([a], [b]) => a - b)
          .map(([status, count]) => `${status}×${count}`)
          .join(' ')}`,
      ].join('\n'),
    );
    expect(runs).toBeGreaterThanOrEqual(wanted);
    for (const operation of operations)
      expect({ operation: operation.label, covered: (perOperation.get(operation.label) ?? 0) >= 50 }).toEqual({
        operation: operation.label,
        covered: true,
      });

    // Nothing reached the store that it had to refuse, and the process still serves.
    expect(await storeErrors(server.url)).toBe(errorsBefore);
    expect(server.process.exitCode).toBeNull();
    expect((await call(server.url, 'GET', '/health')).body).toEqual({ status: 'ok' });
    expect(loggedErrors(server.output())).toEqual([]);
    // The queue is intact: the sentinel is still first, and the one a rep takes.
    expect((await enqueue(server.url, sentinel)).body.position).toBe(1);
    const claimed = await claimNext(server.url, (await signIn(server.url, 'After The Storm')).body.token);
    expect(claimed.status).toBe(200);
    expect(claimed.body?.helpSession.id).toBe(sentinel.id);
  }, 240_000);

  it('should answer every rate-limited request with a 429 in the contract’s shape', async () => {
    const operations = operationsOf((await call<OpenApiDocument>(limited.url, 'GET', '/docs-json')).body).filter((operation) =>
      ['POST /api/help-sessions', 'POST /api/reps/sessions'].includes(operation.label),
    );
    expect(operations).toHaveLength(2);
    const errorsBefore = await storeErrors(limited.url);
    const limitedCount = new Map<string, number>();
    let runs = 0;
    const pool: Pool = { sentinel: (await createHelpSession(limited.url)).body, sessions: [], repToken: '' };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          ...operations.map((operation) =>
            caseFor(operation).map((request) => ({ ...request, method: 'POST', upper: false, suffix: '', auth: 'none' as const })),
          ),
        ),
        async (generated) => {
          runs++;
          const request = toRequest(generated, pool);
          const reply = await rawRequest(limited.url, request, 8_000);
          const problems = httpViolations(reply.status, reply.text, { memcachedAddress: memcached.address });
          if (reply.status === 429) {
            limitedCount.set(generated.op, (limitedCount.get(generated.op) ?? 0) + 1);
            const body = JSON.parse(reply.text) as { code?: string };
            if (body.code !== 'rate_limited') problems.push(`a 429 with code ${JSON.stringify(body.code)}`);
          }
          if (problems.length > 0)
            throw new Error(`${describeRequest(request)}\n→ ${reply.status} ${reply.text.slice(0, 400)}\n- ${problems.join('\n- ')}`);
        },
      ),
      { seed: SEED, numRuns: RATE_LIMIT_CASES },
    );
    console.log(
      `fuzz-http (rate limits): ${runs} cases, 429s: ${[...limitedCount].map(([label, count]) => `${label} ×${count}`).join(', ')}`,
    );
    for (const operation of operations) expect(limitedCount.get(operation.label) ?? 0).toBeGreaterThan(0);
    expect(await storeErrors(limited.url)).toBe(errorsBefore);
  }, 120_000);
});
