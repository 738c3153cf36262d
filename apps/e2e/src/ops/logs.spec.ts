import type { CreateHelpSessionResponse } from '@servicekit/contracts';
import { PresenceClient } from '@servicekit/client/presence';
import {
  call,
  claimNext,
  createHelpSession,
  endSession,
  enqueue,
  SHARED_SECRETS,
  signIn,
  TEST_OPS_TOKEN,
  TEST_PASSCODE,
  ApiServer,
  startApiServer,
} from '@servicekit/tools/e2e-support';

const NAME = 'Wilhelmina Logsworth';
const PROBLEM = 'My kettle whistles Beethoven backwards';

/** The JSON log lines of the process (the banner is plain text and not one of them). */
function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe.each(['debug', 'info'])('logs at LOG_LEVEL=%s', (level) => {
  let server: ApiServer;

  beforeAll(async () => {
    server = await startApiServer({ ...SHARED_SECRETS, LOG_LEVEL: level, HELP_SESSION_RATE_LIMIT: '0', SIGN_IN_RATE_LIMIT: '0' });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('should carry request ids and never a name, a problem, a token or the passcode through a whole flow', async () => {
    const base = server.url;
    const created = await createHelpSession(base, NAME, PROBLEM);
    expect(created.status).toBe(201);
    const session: CreateHelpSessionResponse = created.body;
    const customer = new PresenceClient({ url: base, token: session.customerToken });
    try {
      await customer.ready();
      expect((await enqueue(base, session)).status).toBe(201);
      const rep = await signIn(base, 'Rita Rep', TEST_PASSCODE);
      expect(rep.status).toBe(201);
      const claimed = await claimNext(base, rep.body.token);
      expect(claimed.body?.helpSession.id).toBe(session.id);
      expect((await endSession(base, session.id, rep.body.token)).status).toBe(204);
      // Failures log too: a wrong passcode, a body the parser refuses, a bad token, the operator view with names.
      expect((await signIn(base, 'Rita Rep', `${TEST_PASSCODE}-wrong`)).status).toBe(401);
      expect((await call(base, 'POST', '/help-sessions', { raw: `{"customerName":"${NAME}","problemText":` })).status).toBe(400);
      expect((await call(base, 'POST', `/help-sessions/${session.id}/queue`, { token: `${session.customerToken}x` })).status).toBe(401);
      expect((await call(base, 'GET', '/ops/queue?pii=1', { token: TEST_OPS_TOKEN })).status).toBe(200);

      const tagged = await fetch(`${base}/api/health`, { headers: { 'x-request-id': 'trace-me-42' } });
      expect(tagged.headers.get('x-request-id')).toBe('trace-me-42');
      const refused = await fetch(`${base}/api/health`, { headers: { 'x-request-id': 'not "sane" at all\t' } });
      expect(refused.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

      const secrets = [
        NAME,
        PROBLEM,
        session.customerToken,
        session.video.token,
        rep.body.token,
        claimed.body?.video.token ?? '',
        TEST_PASSCODE,
        TEST_OPS_TOKEN,
      ];
      const output = server.output();
      for (const secret of secrets) expect(output).not.toContain(secret);

      const requests = logLines(output).filter((line) => typeof (line['req'] as { id?: unknown } | undefined)?.id === 'string');
      expect(requests.length).toBeGreaterThanOrEqual(7);
      expect(requests.find((line) => (line['req'] as { url: string }).url === '/api/help-sessions')).toMatchObject({
        level: 'info',
        req: { id: expect.any(String), method: 'POST' },
        res: { statusCode: 201 },
      });
      if (level === 'debug') {
        expect(requests.some((line) => (line['req'] as { id: string }).id === 'trace-me-42')).toBe(true);
      }
      // Request ids are unique per request: one completion line each (lines logged during a request, such as
      // a rep's sign-in, carry its id too).
      const ids = requests.filter((line) => line['res'] !== undefined).map((line) => (line['req'] as { id: string }).id);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      customer.close();
    }
  });
});
