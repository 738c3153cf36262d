import OpenTok = require('opentok');
import { JwtService } from '@nestjs/jwt';
import { OpenTokStandIn, startOpenTokStandIn } from '@servicekit/tools/testing';
import { OpenTokVideoProvider } from './opentok-video.provider';
import { CallParticipant, ForeignVideoSessionError, VideoUnavailableError } from './video-provider';

const API_KEY = '47110815';
const API_SECRET = 'opentok-test-secret-0123456789abcdef';
const customer: CallParticipant = { role: 'customer', id: 'help-1' };
const rep: CallParticipant = { role: 'rep', id: 'rep-7' };

interface OpenTokTokenClaims {
  iss: string;
  ist: string;
  iat: number;
  exp: number;
  session_id: string;
  role: string;
  connection_data?: string;
  expire_time: number;
  scope: string;
}

const verifyWithSecret = <T extends object>(token: string, secret = API_SECRET): T =>
  new JwtService({ secret }).verify<T>(token, { algorithms: ['HS256'] });

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected the promise to reject');
}

describe('OpenTokVideoProvider', () => {
  let standIn: OpenTokStandIn;
  let provider: OpenTokVideoProvider;

  beforeEach(async () => {
    standIn = await startOpenTokStandIn({ apiKey: API_KEY, apiSecret: API_SECRET });
    provider = new OpenTokVideoProvider({ apiKey: API_KEY, apiSecret: API_SECRET, apiUrl: standIn.url, timeoutMs: 2000 });
  });

  afterEach(async () => {
    await standIn.stop();
  });

  it('should name itself opentok', () => {
    expect(provider.name).toBe('opentok');
  });

  describe('createSession', () => {
    it('should return a session id that the SDK accepts for tokens of this api key', async () => {
      const sessionId = await provider.createSession();

      expect(sessionId).toMatch(/^1_[A-Za-z0-9_-]+$/);
      const sdk = new OpenTok(API_KEY, API_SECRET);
      expect(() => sdk.generateToken(sessionId)).not.toThrow();
    });

    it('should return a new session id each time', async () => {
      const first = await provider.createSession();
      const second = await provider.createSession();

      expect(first).not.toBe(second);
    });

    it('should authenticate with a project JWT signed with the api secret', async () => {
      await provider.createSession();

      const request = standIn.requests()[0]!;
      const header = request.headers['x-opentok-auth'];
      expect(typeof header).toBe('string');
      const claims = verifyWithSecret<{ iss: string; ist: string; iat: number; exp: number }>(header as string);
      expect(claims).toMatchObject({ iss: API_KEY, ist: 'project' });
      expect(claims.exp).toBeGreaterThan(claims.iat);
    });

    it('should ask for a routed session with manual archiving', async () => {
      await provider.createSession();

      const request = standIn.requests()[0]!;
      expect(request).toMatchObject({ method: 'POST', path: '/session/create' });
      expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
        archiveMode: 'manual',
        'p2p.preference': 'disabled',
      });
    });

    it('should reject with VideoUnavailableError when the api secret is wrong', async () => {
      const wrong = new OpenTokVideoProvider({ apiKey: API_KEY, apiSecret: 'not-the-secret', apiUrl: standIn.url });

      const error = await rejection(wrong.createSession());

      expect(error).toBeInstanceOf(VideoUnavailableError);
      expect(error.message).toMatch(/^The video service refused to create a session: .+\.$/);
      expect(error.message).toContain('Invalid API key or secret');
    });

    it('should reject with VideoUnavailableError when the api key is not the project of the service', async () => {
      const wrong = new OpenTokVideoProvider({ apiKey: '1234', apiSecret: API_SECRET, apiUrl: standIn.url });

      await expect(wrong.createSession()).rejects.toBeInstanceOf(VideoUnavailableError);
    });

    it('should reject with VideoUnavailableError within its timeout when the service hangs', async () => {
      standIn.setBehaviour('hang');
      const impatient = new OpenTokVideoProvider({ apiKey: API_KEY, apiSecret: API_SECRET, apiUrl: standIn.url, timeoutMs: 300 });

      const error = await rejection(impatient.createSession());

      expect(error).toBeInstanceOf(VideoUnavailableError);
      expect(error.message).toBe('The video service did not answer within 300 ms.');
      expect(standIn.requests()).toHaveLength(1);
    });

    it('should reject with VideoUnavailableError when the service fails with 500', async () => {
      standIn.setBehaviour('error500');

      const error = await rejection(provider.createSession());

      expect(error).toBeInstanceOf(VideoUnavailableError);
      expect(error.message).toMatch(/^The video service refused to create a session: .+\.$/);
    });

    it('should reject with VideoUnavailableError when the service cannot be reached', async () => {
      await standIn.stop();

      await expect(provider.createSession()).rejects.toBeInstanceOf(VideoUnavailableError);

      standIn = await startOpenTokStandIn({ apiKey: API_KEY, apiSecret: API_SECRET });
    });

    it('should work again once the service recovers', async () => {
      standIn.setBehaviour('error500');
      await expect(provider.createSession()).rejects.toBeInstanceOf(VideoUnavailableError);

      standIn.setBehaviour('ok');

      await expect(provider.createSession()).resolves.toMatch(/^1_/);
    });
  });

  describe('credentials', () => {
    it('should return opentok credentials with the api key', async () => {
      const sessionId = await provider.createSession();

      const credentials = provider.credentials(sessionId, customer);

      expect(credentials).toEqual({ provider: 'opentok', sessionId, token: expect.any(String), apiKey: API_KEY });
    });

    it('should issue a moderator token to the rep and a publisher token to the customer, verifiable with the secret', async () => {
      const sessionId = await provider.createSession();

      const repClaims = verifyWithSecret<OpenTokTokenClaims>(provider.credentials(sessionId, rep).token);
      const customerClaims = verifyWithSecret<OpenTokTokenClaims>(provider.credentials(sessionId, customer).token);

      expect(repClaims).toMatchObject({ iss: API_KEY, session_id: sessionId, role: 'moderator', scope: 'session.connect' });
      expect(customerClaims).toMatchObject({ iss: API_KEY, session_id: sessionId, role: 'publisher' });
    });

    it('should not be verifiable with another secret', async () => {
      const { token } = provider.credentials(await provider.createSession(), customer);

      expect(() => verifyWithSecret(token, 'another-secret')).toThrow();
    });

    it('should put the role, and nothing personal, in the connection data', async () => {
      const sessionId = await provider.createSession();

      const repClaims = verifyWithSecret<OpenTokTokenClaims>(provider.credentials(sessionId, rep).token);
      const customerClaims = verifyWithSecret<OpenTokTokenClaims>(provider.credentials(sessionId, customer).token);

      expect(JSON.parse(repClaims.connection_data ?? '')).toEqual({ role: 'rep' });
      expect(JSON.parse(customerClaims.connection_data ?? '')).toEqual({ role: 'customer' });
    });

    it('should expire after the ttl given per call, or after the default of one hour', async () => {
      const sessionId = await provider.createSession();
      const before = Math.floor(Date.now() / 1000);

      const perCall = verifyWithSecret<OpenTokTokenClaims>(provider.credentials(sessionId, customer, 90).token);
      const byDefault = verifyWithSecret<OpenTokTokenClaims>(provider.credentials(sessionId, customer).token);

      const after = Math.ceil(Date.now() / 1000);
      expect(perCall.exp).toBe(perCall.expire_time);
      expect(perCall.exp).toBeGreaterThanOrEqual(before + 90);
      expect(perCall.exp).toBeLessThanOrEqual(after + 90);
      expect(byDefault.exp).toBeGreaterThanOrEqual(before + 3600);
      expect(byDefault.exp).toBeLessThanOrEqual(after + 3600);
    });

    it('should refuse a session id of another api key with ForeignVideoSessionError', async () => {
      const otherStandIn = await startOpenTokStandIn({ apiKey: '99990000', apiSecret: 'other-secret' });
      try {
        const other = new OpenTokVideoProvider({ apiKey: '99990000', apiSecret: 'other-secret', apiUrl: otherStandIn.url });
        const foreignId = await other.createSession();

        expect(() => provider.credentials(foreignId, customer)).toThrow(ForeignVideoSessionError);
        expect(() => provider.credentials(foreignId, customer)).toThrow(VideoUnavailableError);
      } finally {
        await otherStandIn.stop();
      }
    });

    it('should refuse a session id of the built-in provider or garbage with ForeignVideoSessionError', () => {
      for (const sessionId of ['p2p_abcdefghijklmnopqrstuvwxyz012345', '', 'garbage', '1_']) {
        expect(() => provider.credentials(sessionId, customer)).toThrow(ForeignVideoSessionError);
      }
    });

    it('should refuse a ttl that is not a positive whole number of seconds', async () => {
      const sessionId = await provider.createSession();

      expect(() => provider.credentials(sessionId, rep, 0)).toThrow(RangeError);
    });
  });
});
