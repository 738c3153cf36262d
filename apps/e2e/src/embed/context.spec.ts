import type {
  ApiError,
  CheckContextResponse,
  ClaimNextResponse,
  CreateHelpSessionResponse,
  EmbedSettingsResponse,
} from '@servicekit/contracts';
import {
  ApiServer,
  call,
  claimNext,
  endSession,
  enqueue,
  mintToken,
  SHARED_SECRETS,
  signIn,
  startApiServer,
} from '@servicekit/tools/e2e-support';

const CONTEXT_SECRET = 'e2e-embed-context-secret-0123456789abcdef';
const SHOP = 'https://shop.example';
const HELP_CENTRE = 'https://help.shop.example:8443';
const now = () => Math.floor(Date.now() / 1000);
const sign = (claims: Record<string, unknown>, secret = CONTEXT_SECRET) => mintToken({ exp: now() + 300, ...claims }, secret);

/** The same token with its claims swapped for a forger's, the signature left as it was. */
function tampered(token: string): string {
  const [header, , signature] = token.split('.');
  const claims = Buffer.from(JSON.stringify({ name: 'Mallory', reference: 'Order 1', exp: now() + 300 })).toString('base64url');
  return `${header}.${claims}.${signature}`;
}

/**
 * The embedding over HTTP, against the built API: the public settings the embed page reads, the embed
 * page's framing policy, and the signed customer context (checked, stored with the help session for the
 * rep, or ignored with a sentence, never refused).
 */
describe('embedding over HTTP', () => {
  let server: ApiServer;
  let base: string;

  beforeAll(async () => {
    server = await startApiServer({
      ...SHARED_SECRETS,
      EMBED_ORIGINS: `${SHOP},${HELP_CENTRE}`,
      EMBED_CONTEXT_SECRET: CONTEXT_SECRET,
      HELP_SESSION_RATE_LIMIT: '0',
      SIGN_IN_RATE_LIMIT: '0',
    });
    base = server.url;
  });

  afterAll(async () => {
    await server?.stop();
  });

  const create = (body: Record<string, unknown>) =>
    call<CreateHelpSessionResponse>(base, 'POST', '/help-sessions', {
      body: { customerName: 'Ada Lovelace', problemText: 'Router', ...body },
    });

  /** What the rep sees of this help session when taking it. */
  async function claimed(session: CreateHelpSessionResponse): Promise<ClaimNextResponse['helpSession']> {
    const repToken = (await signIn(base, 'Grace')).body.token;
    expect((await enqueue(base, session)).status).toBe(201);
    const claim = (await claimNext(base, repToken)).body;
    if (!claim) throw new Error('The rep found nobody waiting');
    expect((await endSession(base, session.id, repToken)).status).toBe(204);
    return claim.helpSession;
  }

  it('should tell the embed page the allowed sites and that it verifies context tokens', async () => {
    const reply = await call<EmbedSettingsResponse>(base, 'GET', '/embed');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ origins: [SHOP, HELP_CENTRE], acceptsContext: true });
  });

  it('should let exactly the EMBED_ORIGINS sites frame the embed page, and nothing else', async () => {
    const embed = await fetch(`${base}/embed?host=${encodeURIComponent(SHOP)}`);
    expect(embed.status).toBe(200);
    expect(embed.headers.get('content-security-policy')).toContain(`frame-ancestors ${SHOP} ${HELP_CENTRE};`);
    expect(embed.headers.get('x-frame-options')).toBeNull();
    expect(embed.headers.get('permissions-policy')).toContain('camera=(self)');
    for (const path of ['/', '/help', '/embed/', '/rep/', '/rep/ops', '/api/embed']) {
      const headers = (await fetch(`${base}${path}`)).headers;
      expect([path, headers.get('content-security-policy')]).toEqual([path, expect.stringContaining("frame-ancestors 'none'")]);
      expect([path, headers.get('x-frame-options')]).toEqual([path, 'DENY']);
    }
  });

  it('should check a good token and say what it prefills, storing nothing', async () => {
    const reply = await call<CheckContextResponse>(base, 'POST', '/help-sessions/context', {
      body: { context: sign({ name: 'Ada Lovelace', reference: 'Order 4711' }) },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ valid: true, customerName: 'Ada Lovelace', reference: 'Order 4711' });
  });

  it.each([
    ['a tampered token', () => tampered(sign({ name: 'Ada Lovelace', reference: 'Order 4711' })), 'is not signed with'],
    ['an expired token', () => sign({ name: 'Ada Lovelace', exp: now() - 5 }), 'has expired'],
    [
      'a token signed with another secret',
      () => sign({ name: 'Ada Lovelace' }, 'someone-elses-secret-0123456789abcdefgh'),
      'is not signed with',
    ],
    ['a token valid for an hour', () => sign({ name: 'Ada Lovelace', exp: now() + 3600 }), 'more than 10 minutes ahead'],
    ['something that is not a JWT', () => 'not-a-token', 'not a well-formed JWT'],
  ])('should refuse %s with a sentence, and ignore it when a help session is created', async (_label, token, message) => {
    const context = token();
    const check = await call<CheckContextResponse>(base, 'POST', '/help-sessions/context', { body: { context } });
    expect(check.status).toBe(200);
    expect(check.body).toEqual({ valid: false, message: expect.stringContaining(message) });
    expect(check.body.valid === false && check.body.message).toMatch(/^[A-Z].*[.)]$/);

    const created = await create({ context });
    expect(created.status).toBe(201);
    expect(created.body.context).toBe('ignored');
    expect((await claimed(created.body)).verified).toBeUndefined();
    expect(server.output()).not.toContain(context);
  });

  it('should show the rep the verified reference, and the name as verified only while the customer kept it', async () => {
    const context = sign({ name: 'Ada Lovelace', reference: 'Order 4711' });
    const kept = await create({ context });
    expect(kept.body.context).toBe('verified');
    expect(await claimed(kept.body)).toMatchObject({
      customerName: 'Ada Lovelace',
      verified: { reference: 'Order 4711', nameVerified: true },
    });

    const edited = await create({ customerName: 'Ada King', context });
    expect(edited.body.context).toBe('verified');
    expect(await claimed(edited.body)).toMatchObject({
      customerName: 'Ada King',
      verified: { reference: 'Order 4711', nameVerified: false },
    });
    expect(server.output()).not.toContain(context.split('.')[1]);
    expect(server.output()).not.toContain('Order 4711');
  });

  it('should answer a check without a token with a 400 and a sentence', async () => {
    const reply = await call<ApiError>(base, 'POST', '/help-sessions/context', { body: { context: 4711 } });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^[A-Z].*\.$/);
  });
});
