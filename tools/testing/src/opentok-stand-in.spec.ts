import { JwtService } from '@nestjs/jwt';
import { OpenTokStandIn, startOpenTokStandIn } from './opentok-stand-in';

const API_KEY = '47110815';
const API_SECRET = 'stand-in-secret-0123456789';
const FORM = 'archiveMode=manual&p2p.preference=disabled';

function projectToken(claims: object, secret = API_SECRET): string {
  return new JwtService({ secret }).sign(claims);
}

function validClaims(): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: API_KEY, ist: 'project', iat: now, exp: now + 300 };
}

describe('startOpenTokStandIn', () => {
  let standIn: OpenTokStandIn;

  beforeEach(async () => {
    standIn = await startOpenTokStandIn({ apiKey: API_KEY, apiSecret: API_SECRET });
  });

  afterEach(async () => {
    await standIn.stop();
  });

  const createSession = (headers: Record<string, string>, body = FORM) =>
    fetch(`${standIn.url}/session/create`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });

  it('should listen on a loopback port', () => {
    expect(standIn.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('should create a session whose id decodes to its api key', async () => {
    const response = await createSession({ 'X-OPENTOK-AUTH': projectToken(validClaims()) });

    expect(response.status).toBe(200);
    const [session] = await response.json();
    expect(session).toMatchObject({ project_id: API_KEY, partner_id: API_KEY });
    const fields = Buffer.from(session.session_id.slice(2), 'base64url').toString('latin1').split('~');
    expect(session.session_id.startsWith('1_')).toBe(true);
    expect(fields[0]).toBe('1');
    expect(fields[1]).toBe(API_KEY);
  });

  it.each([
    ['no token', {}],
    ['a token signed with another secret', { 'X-OPENTOK-AUTH': projectToken(validClaims(), 'wrong-secret') }],
    ['a token of another project', { 'X-OPENTOK-AUTH': projectToken({ ...validClaims(), iss: '1234' }) }],
    ['a token that is not a project token', { 'X-OPENTOK-AUTH': projectToken({ ...validClaims(), ist: 'account' }) }],
    ['a token without exp', { 'X-OPENTOK-AUTH': projectToken({ iss: API_KEY, ist: 'project', iat: 1 }) }],
    ['an expired token', { 'X-OPENTOK-AUTH': projectToken({ ...validClaims(), iat: 1_000_000, exp: 1_000_300 }) }],
  ])('should refuse %s with 403', async (_case, headers) => {
    const response = await createSession(headers);

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 403, message: expect.any(String) });
  });

  it('should refuse a form with an unknown media mode with 400', async () => {
    const response = await createSession({ 'X-OPENTOK-AUTH': projectToken(validClaims()) }, 'archiveMode=manual&p2p.preference=sometimes');

    expect(response.status).toBe(400);
  });

  it('should answer 404 for another path', async () => {
    const response = await fetch(`${standIn.url}/v2/project/${API_KEY}/archive`);

    expect(response.status).toBe(404);
  });

  it('should fail with 500 when told to, and recover when told to', async () => {
    standIn.setBehaviour('error500');
    const failed = await createSession({ 'X-OPENTOK-AUTH': projectToken(validClaims()) });
    standIn.setBehaviour('ok');
    const recovered = await createSession({ 'X-OPENTOK-AUTH': projectToken(validClaims()) });

    expect(failed.status).toBe(500);
    expect(recovered.status).toBe(200);
  });

  it('should record each request with its headers and body', async () => {
    await createSession({ 'X-OPENTOK-AUTH': 'abc' });

    expect(standIn.requests()).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/session/create',
        headers: expect.objectContaining({ 'x-opentok-auth': 'abc' }),
        body: FORM,
      }),
    ]);
  });
});
