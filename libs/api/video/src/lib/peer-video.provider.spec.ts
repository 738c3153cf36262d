import { JwtService } from '@nestjs/jwt';
import { IceServers } from './ice-servers';
import { InvalidVideoTokenError, PeerVideoClaims, PeerVideoProvider } from './peer-video.provider';
import { ForeignVideoSessionError } from './video-provider';

const SECRET = 'peer-test-secret-0123456789';
const customer = { role: 'customer' as const, id: 'help-1' };
const rep = { role: 'rep' as const, id: 'rep-7' };

function captureError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('PeerVideoProvider', () => {
  const provider = new PeerVideoProvider({ tokenSecret: SECRET });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('should name itself p2p', () => {
    expect(provider.name).toBe('p2p');
  });

  it('should create unique session ids prefixed with p2p_ and 24 random bytes', async () => {
    const ids = await Promise.all(Array.from({ length: 50 }, () => provider.createSession()));

    expect(new Set(ids).size).toBe(50);
    for (const id of ids) {
      expect(id).toMatch(/^p2p_[A-Za-z0-9_-]{32}$/);
      expect(Buffer.from(id.slice(4), 'base64url')).toHaveLength(24);
    }
  });

  it('should issue p2p credentials whose token verifies with the secret and carries sid, role and id, and no name', async () => {
    const sessionId = await provider.createSession();

    const credentials = provider.credentials(sessionId, customer);

    expect(credentials).toEqual({ provider: 'p2p', sessionId, token: expect.any(String), iceServers: [], iceTransportPolicy: 'all' });
    const claims = new JwtService({ secret: SECRET }).verify<PeerVideoClaims>(credentials.token, {
      algorithms: ['HS256'],
      audience: 'servicekit-p2p',
    });
    expect(claims).toEqual({
      typ: 'video',
      sid: sessionId,
      role: 'customer',
      sub: 'help-1',
      aud: 'servicekit-p2p',
      iat: expect.any(Number),
      exp: expect.any(Number),
    });
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it('should return the claims from verify for each role', async () => {
    const sessionId = await provider.createSession();

    const repClaims = provider.verify(provider.credentials(sessionId, rep).token);
    const customerClaims = provider.verify(provider.credentials(sessionId, customer).token);

    expect(repClaims).toMatchObject({ typ: 'video', sid: sessionId, role: 'rep', sub: 'rep-7', aud: 'servicekit-p2p' });
    expect(customerClaims).toMatchObject({ role: 'customer', sub: 'help-1' });
  });

  it('should hand each participant fresh TURN credentials that live as long as the token', async () => {
    const ice = new IceServers({
      stunUrls: ['stun:turn.example.com:3478'],
      turn: { urls: ['turn:turn.example.com:3478?transport=udp'], credentials: { kind: 'secret', secret: 'coturn-shared-secret' } },
      transportPolicy: 'relay',
    });
    const withTurn = new PeerVideoProvider({ tokenSecret: SECRET, iceServers: ice });
    const sessionId = await withTurn.createSession();
    const before = Math.floor(Date.now() / 1000);

    const first = withTurn.credentials(sessionId, customer, 120);
    const second = withTurn.credentials(sessionId, customer, 120);

    expect(first.iceTransportPolicy).toBe('relay');
    expect(first.iceServers?.[0]).toEqual({ urls: ['stun:turn.example.com:3478'] });
    const turn = first.iceServers?.[1];
    const [expiry, id] = (turn?.username ?? '').split(':');
    expect(Number(expiry)).toBeGreaterThanOrEqual(before + 120);
    expect(Number(expiry)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 120);
    expect(id).not.toContain('help-1');
    expect(second.iceServers?.[1]?.username).not.toBe(turn?.username);
    expect(JSON.stringify(first)).not.toContain('coturn-shared-secret');
  });

  it('should sign with HS256', async () => {
    const { token } = provider.credentials(await provider.createSession(), rep);

    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8'));

    expect(header).toMatchObject({ alg: 'HS256', typ: 'JWT' });
  });

  it('should honour the ttl given per call and the default ttl of the provider', async () => {
    const short = new PeerVideoProvider({ tokenSecret: SECRET, defaultTtlSeconds: 120 });
    const sessionId = await short.createSession();

    const byDefault = short.verify(short.credentials(sessionId, rep).token);
    const perCall = short.verify(short.credentials(sessionId, rep, 30).token);

    expect(byDefault.exp - byDefault.iat).toBe(120);
    expect(perCall.exp - perCall.iat).toBe(30);
  });

  it('should accept a token until its ttl runs out and reject it as expired after', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const { token } = provider.credentials(await provider.createSession(), customer, 60);

    jest.setSystemTime(Date.now() + 59_000);
    expect(provider.verify(token).role).toBe('customer');

    jest.setSystemTime(Date.now() + 2_000);
    const error = captureError(() => provider.verify(token));
    expect(error).toBeInstanceOf(InvalidVideoTokenError);
    expect(error).toMatchObject({ reason: 'expired', message: expect.stringContaining('expired') });
  });

  it('should reject a token signed with another secret', async () => {
    const other = new PeerVideoProvider({ tokenSecret: 'another-secret-9876543210' });
    const { token } = other.credentials(await other.createSession(), customer);

    const error = captureError(() => provider.verify(token));

    expect(error).toBeInstanceOf(InvalidVideoTokenError);
    expect(error).toMatchObject({ reason: 'invalid' });
  });

  it('should reject a token for another audience or of another type even when signed with the secret', async () => {
    const jwt = new JwtService({ secret: SECRET });
    const sid = await provider.createSession();
    const claims = { typ: 'video', sid, role: 'rep', sub: 'rep-7' };

    const otherAudience = jwt.sign(claims, { audience: 'servicekit-rep', expiresIn: 60 });
    const otherType = jwt.sign({ ...claims, typ: 'rep' }, { audience: 'servicekit-p2p', expiresIn: 60 });
    const otherRole = jwt.sign({ ...claims, role: 'admin' }, { audience: 'servicekit-p2p', expiresIn: 60 });

    for (const token of [otherAudience, otherType, otherRole]) {
      expect(captureError(() => provider.verify(token))).toBeInstanceOf(InvalidVideoTokenError);
    }
  });

  it('should reject a token whose algorithm is none', async () => {
    const sid = await provider.createSession();
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ typ: 'video', sid, role: 'rep', sub: 'r', aud: 'servicekit-p2p', iat: now, exp: now + 60 })}.`;

    expect(captureError(() => provider.verify(unsigned))).toBeInstanceOf(InvalidVideoTokenError);
  });

  it('should reject garbage as an invalid token', () => {
    for (const token of ['', 'not-a-jwt', 'a.b.c']) {
      const error = captureError(() => provider.verify(token));
      expect(error).toBeInstanceOf(InvalidVideoTokenError);
      expect(error).toMatchObject({ reason: 'invalid' });
    }
  });

  it('should refuse credentials for a session id it did not create', () => {
    const error = captureError(() => provider.credentials('1_MX4xMjM0NTZ-fg', customer));

    expect(error).toBeInstanceOf(ForeignVideoSessionError);
  });

  it('should refuse a ttl that is not a positive whole number of seconds', async () => {
    const sessionId = await provider.createSession();

    for (const ttl of [0, -5, 1.5, Number.NaN]) {
      expect(() => provider.credentials(sessionId, rep, ttl)).toThrow(RangeError);
    }
  });

  it('should refuse to start without a token secret', () => {
    expect(() => new PeerVideoProvider({ tokenSecret: '' })).toThrow('tokenSecret');
  });
});
