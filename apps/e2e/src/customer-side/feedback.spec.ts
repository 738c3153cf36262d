import { PresenceClient } from '@servicekit/client/presence';
import type { ApiError, CreateHelpSessionResponse, OpsFeedbackResponse } from '@servicekit/contracts';
import {
  call,
  claimNext,
  createHelpSession,
  endSession,
  enqueue,
  SHARED_SECRETS,
  signIn,
  TEST_OPS_TOKEN,
  ApiServer,
  startApiServer,
} from '@servicekit/tools/e2e-support';

describe('feedback after a call, over HTTP', () => {
  let server: ApiServer;
  let base: string;
  const clients: PresenceClient[] = [];

  beforeAll(async () => {
    server = await startApiServer({ ...SHARED_SECRETS, HELP_SESSION_RATE_LIMIT: '0', SIGN_IN_RATE_LIMIT: '0', NO_SHOW_MS: '60000' });
    base = server.url;
  });

  afterAll(async () => {
    clients.splice(0).forEach((client) => client.close());
    await server?.stop();
  });

  /** A customer a rep took, whose help session then ended. */
  async function afterCall(): Promise<CreateHelpSessionResponse> {
    const session = (await createHelpSession(base)).body;
    const socket = new PresenceClient({ url: base, token: session.customerToken });
    clients.push(socket);
    await socket.ready();
    expect((await enqueue(base, session)).status).toBe(201);
    const rep = (await signIn(base)).body.token;
    expect((await claimNext(base, rep)).body?.helpSession.id).toBe(session.id);
    expect((await endSession(base, session.id, session.customerToken)).status).toBe(204);
    return session;
  }

  const rate = (session: CreateHelpSessionResponse, body: Record<string, unknown>, token = session.customerToken) =>
    call<ApiError>(base, 'POST', '/feedback', { token, body: { helpSessionId: session.id, ...body } });

  it('should take one rating per call and show operators the count and mean of the day', async () => {
    const first = await afterCall();
    expect((await rate(first, { rating: 5, comment: '  Very helpful  ' })).status).toBe(204);
    expect((await rate(first, { rating: 1 })).body).toMatchObject({ statusCode: 409, code: 'already_rated' });
    expect((await rate(await afterCall(), { rating: 2 })).status).toBe(204);

    const report = (await call<OpsFeedbackResponse>(base, 'GET', '/ops/feedback?days=1&comments=1', { token: TEST_OPS_TOKEN })).body;
    expect(report.days).toEqual([
      {
        date: new Date().toISOString().slice(0, 10),
        count: 2,
        mean: 3.5,
        histogram: [0, 1, 0, 0, 1],
        comments: [{ rating: 5, comment: 'Very helpful' }],
      },
    ]);
    expect(report.commentRetentionDays).toBe(30);
    const metrics = await (await fetch(`${base}/api/metrics`, { headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` } })).text();
    expect(metrics).toMatch(/servicekit_feedback_rating_bucket\{le="2"\} 1/);
    expect(metrics).toMatch(/servicekit_feedback_rating_count 2/);
  });

  it('should refuse feedback without a call, without the token, and with bad values, in sentences', async () => {
    const noCall = (await createHelpSession(base)).body;
    expect((await rate(noCall, { rating: 4 })).body).toMatchObject({ statusCode: 409, code: 'no_call' });
    const session = await afterCall();
    expect((await call<ApiError>(base, 'POST', '/feedback', { body: { helpSessionId: session.id, rating: 4 } })).status).toBe(401);
    expect((await rate(session, { rating: 4 }, noCall.customerToken)).body.code).toBe('unauthorized');
    expect((await rate(session, { rating: 6, comment: 'x'.repeat(501) })).body).toMatchObject({
      statusCode: 400,
      details: { rating: 'The rating must be a whole number from 1 to 5.', comment: 'The comment must be text of at most 500 characters.' },
    });
    expect((await call(base, 'GET', '/ops/feedback')).status).toBe(401);
  });
});
