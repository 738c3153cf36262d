import { IceServers, NO_ICE_SERVERS, turnRestCredentials } from './ice-servers';

const NOW = Date.parse('2023-11-14T22:13:20Z'); // 1700000000 in unix seconds

describe('turnRestCredentials', () => {
  // Expected values computed independently with OpenSSL:
  //   printf '%s' "1700003600:Zm9vYmFyYmF6cXV4" | openssl dgst -sha1 -hmac "north-wind-shared-secret" -binary | base64
  it.each([
    ['north-wind-shared-secret', 1700003600, 'Zm9vYmFyYmF6cXV4', 'Bs9UcWR2qZir5oGFuYlUTo9Vdxs='],
    ['s3cr3t', 2000000000, 'participant-7', '9rxRFxOTbMUVqjQ351btxhrO/5Q='],
  ])('should sign "<expiry>:<id>" with HMAC-SHA1 of the secret %s, base64', (secret, expiry, id, credential) => {
    expect(turnRestCredentials(secret, expiry, id)).toEqual({ username: `${expiry}:${id}`, credential });
  });
});

describe('IceServers', () => {
  const secret = new IceServers(
    {
      stunUrls: ['stun:turn.example.com:3478'],
      turn: {
        urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:443?transport=tcp'],
        credentials: { kind: 'secret', secret: 'north-wind-shared-secret' },
      },
      transportPolicy: 'all',
    },
    () => NOW,
    () => 'Zm9vYmFyYmF6cXV4',
  );

  it('should list STUN, then TURN with credentials that expire after the given time', () => {
    expect(secret.configuration(3600)).toEqual({
      iceServers: [
        { urls: ['stun:turn.example.com:3478'] },
        {
          urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:443?transport=tcp'],
          username: '1700003600:Zm9vYmFyYmF6cXV4',
          credential: 'Bs9UcWR2qZir5oGFuYlUTo9Vdxs=',
        },
      ],
      iceTransportPolicy: 'all',
    });
  });

  it('should use a new random id for each set of credentials by default', () => {
    const ice = new IceServers({
      stunUrls: [],
      turn: { urls: ['turn:t.example'], credentials: { kind: 'secret', secret: 'x'.repeat(16) } },
      transportPolicy: 'relay',
    });
    const names = new Set(Array.from({ length: 20 }, () => ice.configuration(60).iceServers[0]?.username));
    expect(names.size).toBe(20);
    for (const name of names) expect(name).toMatch(/^\d+:[A-Za-z0-9_-]{16}$/);
  });

  it('should hand out a static pair as configured', () => {
    const ice = new IceServers({
      stunUrls: [],
      turn: { urls: ['turn:t.example'], credentials: { kind: 'static', username: 'kit', password: 'pw' } },
      transportPolicy: 'relay',
    });
    expect(ice.configuration(60)).toEqual({
      iceServers: [{ urls: ['turn:t.example'], username: 'kit', credential: 'pw' }],
      iceTransportPolicy: 'relay',
    });
  });

  it('should hand out nothing when nothing is configured', () => {
    expect(NO_ICE_SERVERS.configuration(60)).toEqual({ iceServers: [], iceTransportPolicy: 'all' });
  });

  it('should describe what is configured without the secret', () => {
    expect(secret.describe()).toEqual({
      stunUrls: ['stun:turn.example.com:3478'],
      turnUrls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:443?transport=tcp'],
      turnCredentials: 'short-lived',
      iceTransportPolicy: 'all',
    });
    expect(JSON.stringify(secret.describe())).not.toContain('north-wind');
  });
});
