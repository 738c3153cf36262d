import type { ApiError } from '@servicekit/contracts';
import { call, createHelpSession, enqueue, SHARED_SECRETS, TEST_OPS_TOKEN, ApiServer, startApiServer } from '@servicekit/tools/e2e-support';

interface OpsQueue {
  queueLength: number;
  oldestWaitMs: number;
  waiting: { helpSessionId: string; position: number; waitedMs: number; connected: boolean; customerName?: string; problemText?: string }[];
  repsOnline: number;
  repsBusy: number;
  callsInProgress: number;
  generatedAt: string;
}

describe('operator endpoints', () => {
  let server: ApiServer;

  beforeAll(async () => {
    server = await startApiServer({ ...SHARED_SECRETS, HELP_SESSION_RATE_LIMIT: '0' });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it.each([
    ['no token', undefined],
    ['a wrong token', `${TEST_OPS_TOKEN}-wrong`],
    ['a customer-looking token', 'eyJhbGciOiJIUzI1NiJ9.e30.x'],
  ])('should refuse %s with 401 JSON on /api/ops/queue and /api/metrics', async (_, token) => {
    for (const path of ['/ops/queue', '/metrics', '/ops/queue?pii=1']) {
      const reply = await call<ApiError>(server.url, 'GET', path, { token });
      expect(reply.status).toBe(401);
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      expect(reply.body).toMatchObject({ statusCode: 401, code: 'unauthorized', message: expect.stringMatching(/operator token/) });
    }
  });

  it('should show the queue without personal data, and with it only for pii=1', async () => {
    const name = 'Quentin Quokka-Ops';
    const problem = 'The toaster sings at midnight';
    const session = (await createHelpSession(server.url, name, problem)).body;
    expect((await enqueue(server.url, session)).status).toBe(201);

    const plain = await fetch(`${server.url}/api/ops/queue`, { headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('cache-control')).toBe('no-store');
    const text = await plain.text();
    expect(text).not.toContain(name);
    expect(text).not.toContain(problem);
    const queue = JSON.parse(text) as OpsQueue;
    expect(queue).toMatchObject({ queueLength: 1, repsOnline: 0, repsBusy: 0, callsInProgress: 0 });
    expect(queue.waiting).toEqual([
      { helpSessionId: session.id, position: 1, waitedMs: expect.any(Number), connected: expect.any(Boolean) },
    ]);
    expect(queue.oldestWaitMs).toBeGreaterThanOrEqual(queue.waiting[0]!.waitedMs);
    expect(Date.parse(queue.generatedAt)).not.toBeNaN();

    const withPii = await call<OpsQueue>(server.url, 'GET', '/ops/queue?pii=1', { token: TEST_OPS_TOKEN });
    expect(withPii.body.waiting[0]).toMatchObject({ helpSessionId: session.id, customerName: name, problemText: problem });
  });

  it('should serve Prometheus text with the product metrics', async () => {
    const reply = await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const text = await reply.text();
    for (const name of [
      'servicekit_queue_depth',
      'servicekit_oldest_wait_seconds',
      'servicekit_reps_online',
      'servicekit_open_sockets',
      'servicekit_wait_seconds',
      'servicekit_time_to_match_seconds',
      'servicekit_matches_total',
      'servicekit_cancels_total',
      'servicekit_abandons_total',
      'servicekit_no_shows_total',
      'servicekit_store_errors_total',
      'process_resident_memory_bytes',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toMatch(/^servicekit_queue_depth \d+$/m);
  });
});
