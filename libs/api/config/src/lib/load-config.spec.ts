import { ConfigurationError, loadServiceKitConfig, parseMemcachedServers } from './load-config';

const fixedRandom = (bytes: number) => Buffer.alloc(bytes, 7);

describe('loadServiceKitConfig', () => {
  it('should run out of the box on the embedded defaults and generate the unset secrets', () => {
    const config = loadServiceKitConfig({}, fixedRandom);
    expect(config.port).toBe(3000);
    expect(config.store).toEqual({ kind: 'memory' });
    expect(config.video).toEqual({ provider: 'p2p' });
    expect(config.noShowMs).toBe(5000);
    expect(config.callRejoinMs).toBe(30000);
    expect(config.shutdownDelayMs).toBe(5000);
    expect(config.generatedSecrets).toEqual(['REP_PASSCODE', 'SUPERVISOR_PASSCODE', 'OPS_TOKEN', 'TOKEN_SECRET']);
    expect(config.repPasscode).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
    expect(config.supervisorPasscode).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
    expect(config.repIdleTimeoutMs).toBe(8 * 60 * 60 * 1000);
    expect(config.repSessionMaxMs).toBe(12 * 60 * 60 * 1000);
    expect(config.oidc).toBeNull();
    expect(config.tokenSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('should generate different secrets on every start', () => {
    expect(loadServiceKitConfig({}).tokenSecret).not.toEqual(loadServiceKitConfig({}).tokenSecret);
  });

  it('should keep configured secrets and not report them as generated', () => {
    const config = loadServiceKitConfig({
      REP_PASSCODE: 'let-me-in-please',
      OPS_TOKEN: 'o'.repeat(16),
      TOKEN_SECRET: 's'.repeat(32),
    });
    expect(config.generatedSecrets).toEqual([]);
    expect(config.repPasscode).toBe('let-me-in-please');
  });

  it('should turn the passcodes off when accounts or single sign-on are configured, unless set explicitly', () => {
    const accounts = loadServiceKitConfig({ REP_ACCOUNTS_FILE: '/etc/sk/reps.json' });
    expect(accounts).toMatchObject({ repPasscode: null, supervisorPasscode: null, repAccountsFile: '/etc/sk/reps.json' });
    expect(accounts.generatedSecrets).toEqual(['OPS_TOKEN', 'TOKEN_SECRET']);
    const both = loadServiceKitConfig({ REP_ACCOUNTS_FILE: 'r.json', REP_PASSCODE: 'team-passcode', SUPERVISOR_PASSCODE: 'lead-passcode' });
    expect(both).toMatchObject({ repPasscode: 'team-passcode', supervisorPasscode: 'lead-passcode' });
  });

  it('should keep no supervisor passcode when only the rep passcode is set', () => {
    expect(loadServiceKitConfig({ REP_PASSCODE: 'team-passcode' })).toMatchObject({
      repPasscode: 'team-passcode',
      supervisorPasscode: null,
    });
  });

  it('should read single sign-on with its defaults', () => {
    const config = loadServiceKitConfig({
      OIDC_ISSUER: 'https://login.example.com/realms/staff',
      OIDC_CLIENT_ID: 'servicekit',
      OIDC_CLIENT_SECRET: 'shh',
      OIDC_REP_GROUP: 'reps',
      PUBLIC_URL: 'https://help.example.com/',
    });
    expect(config.oidc).toEqual({
      issuer: 'https://login.example.com/realms/staff',
      clientId: 'servicekit',
      clientSecret: 'shh',
      repGroup: 'reps',
      supervisorGroup: undefined,
      groupsClaim: 'groups',
      providerName: 'login.example.com',
      scopes: 'openid profile',
    });
    expect(config.publicUrl).toBe('https://help.example.com');
    expect(config.repPasscode).toBeNull();
  });

  it('should read memcached servers, SASL credentials and the Heroku names', () => {
    expect(loadServiceKitConfig({ MEMCACHED_SERVERS: 'a:1, b:2 c' }).store).toEqual({
      kind: 'memcached',
      servers: ['a:1', 'b:2', 'c:11211'],
      username: undefined,
      password: undefined,
      timeoutMs: 1000,
    });
    expect(
      loadServiceKitConfig({
        MEMCACHEDCLOUD_SERVERS: 'cache.example:11211',
        MEMCACHEDCLOUD_USERNAME: 'user',
        MEMCACHEDCLOUD_PASSWORD: 'pw',
      }).store,
    ).toMatchObject({ kind: 'memcached', servers: ['cache.example:11211'], username: 'user', password: 'pw' });
  });

  it('should choose OpenTok when both keys are set, also under the original names', () => {
    expect(loadServiceKitConfig({ OPENTOK_API_KEY: '123', OPENTOK_API_SECRET: 'abc' }).video).toEqual({
      provider: 'opentok',
      apiKey: '123',
      apiSecret: 'abc',
      apiUrl: undefined,
    });
    expect(loadServiceKitConfig({ OPENTOK_KEY: '9', OPENTOK_SECRET: 'z' }).video).toMatchObject({ provider: 'opentok', apiKey: '9' });
  });

  it('should read SHUTDOWN_DELAY_MS, 0 included (no delay)', () => {
    expect(loadServiceKitConfig({ SHUTDOWN_DELAY_MS: '1500' }).shutdownDelayMs).toBe(1500);
    expect(loadServiceKitConfig({ SHUTDOWN_DELAY_MS: '0' }).shutdownDelayMs).toBe(0);
  });

  it('should read the after-call wrap-up, WRAP_UP_MS, 0 by default', () => {
    expect(loadServiceKitConfig({}).wrapUpMs).toBe(0);
    expect(loadServiceKitConfig({ WRAP_UP_MS: '2000' }).wrapUpMs).toBe(2000);
  });

  it('should read the rejoin window of calls, CALL_REJOIN_MS', () => {
    expect(loadServiceKitConfig({ CALL_REJOIN_MS: '5000' }).callRejoinMs).toBe(5000);
  });

  it('should treat empty values as unset', () => {
    expect(loadServiceKitConfig({ PORT: '', MEMCACHED_SERVERS: '' }).store).toEqual({ kind: 'memory' });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be a whole number from 0 to 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 0 to 65535'],
    [{ NO_SHOW_MS: '5s' }, 'NO_SHOW_MS must be a whole number'],
    [{ SHUTDOWN_DELAY_MS: '5s' }, 'SHUTDOWN_DELAY_MS must be a whole number from 0 to 60000 (got "5s")'],
    [{ SHUTDOWN_DELAY_MS: '60001' }, 'SHUTDOWN_DELAY_MS must be a whole number from 0 to 60000'],
    [{ WRAP_UP_MS: '-1' }, 'WRAP_UP_MS must be a whole number from 0 to 600000 (got "-1")'],
    [{ WRAP_UP_MS: '2s' }, 'WRAP_UP_MS must be a whole number from 0 to 600000 (got "2s")'],
    [{ CALL_REJOIN_MS: '500' }, 'CALL_REJOIN_MS must be a whole number from 1000 to 600000 (got "500")'],
    [{ MEMCACHED_SERVERS: 'host:notaport' }, 'MEMCACHED_SERVERS: "host:notaport" is not a memcached server address'],
    [{ MEMCACHED_SERVERS: 'h:1', MEMCACHED_USERNAME: 'u' }, 'MEMCACHED_USERNAME and MEMCACHED_PASSWORD must be set together'],
    [{ OPENTOK_API_KEY: '1' }, 'OPENTOK_API_KEY is set but OPENTOK_API_SECRET is not'],
    [{ OPENTOK_API_URL: 'http://x' }, 'OPENTOK_API_URL is set but OPENTOK_API_KEY'],
    [{ REP_PASSCODE: 'short' }, 'REP_PASSCODE must be at least 8 characters long'],
    [{ TOKEN_SECRET: 'short' }, 'TOKEN_SECRET must be at least 32 characters long'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY must be true, false'],
    [{ STUN_URLS: 'turn.example.com:3478' }, 'STUN_URLS: "turn.example.com:3478" is not a STUN URL: write it like stun:'],
    [{ STUN_URLS: 'stun:a.example, http://b.example' }, 'STUN_URLS: "http://b.example" is not a STUN URL'],
    [{ TURN_URLS: 'stun:t.example:3478', TURN_SECRET: 's'.repeat(16) }, 'TURN_URLS: "stun:t.example:3478" is not a TURN URL'],
    [{ TURN_URLS: 'turn:t.example?transport=sctp', TURN_SECRET: 's'.repeat(16) }, 'TURN_URLS: "turn:t.example?transport=sctp"'],
    [{ TURN_URLS: 'turn:t.example:3478' }, 'TURN_URLS is set but TURN_SECRET (or TURN_USERNAME and TURN_PASSWORD) is not'],
    [{ TURN_SECRET: 's'.repeat(16) }, 'TURN_SECRET is set but TURN_URLS is not'],
    [{ TURN_URLS: 'turn:t.example', TURN_SECRET: 'short' }, 'TURN_SECRET must be at least 16 characters long'],
    [{ TURN_URLS: 'turn:t.example', TURN_USERNAME: 'u' }, 'TURN_USERNAME and TURN_PASSWORD must be set together'],
    [{ TURN_URLS: 'turn:t.example', TURN_USERNAME: 'a:b', TURN_PASSWORD: 'p' }, 'TURN_USERNAME must be 1 to 128 characters'],
    [
      { TURN_URLS: 'turn:t.example', TURN_SECRET: 's'.repeat(16), TURN_USERNAME: 'u', TURN_PASSWORD: 'p' },
      'TURN_SECRET and TURN_USERNAME are both set',
    ],
    [{ ICE_TRANSPORT_POLICY: 'none' }, 'ICE_TRANSPORT_POLICY must be all or relay (got "none")'],
    [{ ICE_TRANSPORT_POLICY: 'relay' }, 'ICE_TRANSPORT_POLICY is relay but TURN_URLS is not set'],
    [{ EMBED_ORIGINS: 'shop.example' }, 'EMBED_ORIGINS: "shop.example" is not an origin: write scheme and host only'],
    [{ EMBED_ORIGINS: 'https://*.shop.example' }, 'EMBED_ORIGINS: "https://*.shop.example" is not an origin'],
    [{ EMBED_ORIGINS: 'https://shop.example/help' }, 'EMBED_ORIGINS: "https://shop.example/help" is not an origin'],
    [{ EMBED_ORIGINS: 'ftp://shop.example' }, 'EMBED_ORIGINS: "ftp://shop.example" is not an origin'],
    [
      { EMBED_ORIGINS: 'https://Shop.Example' },
      'EMBED_ORIGINS: write "https://Shop.Example" exactly as browsers send it: https://shop.example',
    ],
    [{ EMBED_ORIGINS: 'https://shop.example:443' }, 'exactly as browsers send it: https://shop.example'],
    [{ EMBED_ORIGINS: 'https://shop.example/' }, 'exactly as browsers send it: https://shop.example'],
    [{ EMBED_CONTEXT_SECRET: 'short', EMBED_ORIGINS: 'https://a.example' }, 'EMBED_CONTEXT_SECRET must be at least 32 characters long'],
    [{ EMBED_CONTEXT_SECRET: 'c'.repeat(32) }, 'EMBED_CONTEXT_SECRET is set but EMBED_ORIGINS is not'],
    [
      { EMBED_CONTEXT_SECRET: 'c'.repeat(32), TOKEN_SECRET: 'c'.repeat(32), EMBED_ORIGINS: 'https://a.example' },
      'EMBED_CONTEXT_SECRET must differ from TOKEN_SECRET',
    ],
    [{ OIDC_ISSUER: 'https://id.example.com' }, 'OIDC_ISSUER is set but OIDC_CLIENT_ID is not'],
    [{ OIDC_ISSUER: 'https://id.example.com', OIDC_CLIENT_ID: 'c', PUBLIC_URL: 'https://h.example' }, 'OIDC_REP_GROUP is not'],
    [{ OIDC_ISSUER: 'https://id.example.com', OIDC_CLIENT_ID: 'c', OIDC_REP_GROUP: 'r' }, 'PUBLIC_URL is not'],
    [
      { OIDC_ISSUER: 'http://id.example.com', OIDC_CLIENT_ID: 'c', OIDC_REP_GROUP: 'r', PUBLIC_URL: 'https://h.example' },
      'OIDC_ISSUER must be an https URL',
    ],
    [{ OIDC_CLIENT_ID: 'c' }, 'OIDC_CLIENT_ID is set but OIDC_ISSUER is not'],
    [{ PUBLIC_URL: 'https://help.example.com/app' }, 'PUBLIC_URL must be an origin without a path'],
    [{ REP_IDLE_TIMEOUT_MS: '500' }, 'REP_IDLE_TIMEOUT_MS must be a whole number from 2000'],
    [{ SUPERVISOR_PASSCODE: 'short' }, 'SUPERVISOR_PASSCODE must be at least 8 characters long'],
  ])('should reject %j with a message naming the variable', (env, message) => {
    expect(() => loadServiceKitConfig(env)).toThrow(ConfigurationError);
    expect(() => loadServiceKitConfig(env)).toThrow(message);
  });

  it('should never echo a bad secret back in the error', () => {
    expect(() => loadServiceKitConfig({ REP_PASSCODE: 'hunter2' })).not.toThrow(/hunter2/);
    expect(() => loadServiceKitConfig({ TURN_URLS: 'turn:t.example', TURN_SECRET: 'hunter2' })).not.toThrow(/hunter2/);
  });

  it('should use no STUN or TURN server and the policy all by default', () => {
    expect(loadServiceKitConfig({}).ice).toEqual({ stunUrls: [], turn: null, transportPolicy: 'all' });
  });

  it('should read STUN and TURN URLs with a shared TURN secret and the relay policy', () => {
    const config = loadServiceKitConfig({
      STUN_URLS: 'stun:turn.example.com:3478, stun:[2001:db8::1]',
      TURN_URLS: 'turn:turn.example.com:3478?transport=udp,turns:turn.example.com:443?transport=tcp turn:192.0.2.7',
      TURN_SECRET: 'a-shared-secret-of-coturn',
      ICE_TRANSPORT_POLICY: 'relay',
    });
    expect(config.ice).toEqual({
      stunUrls: ['stun:turn.example.com:3478', 'stun:[2001:db8::1]'],
      turn: {
        urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:443?transport=tcp', 'turn:192.0.2.7'],
        credentials: { kind: 'secret', secret: 'a-shared-secret-of-coturn' },
      },
      transportPolicy: 'relay',
    });
  });

  it('should read static TURN credentials', () => {
    expect(loadServiceKitConfig({ TURN_URLS: 'turn:t.example', TURN_USERNAME: 'kit', TURN_PASSWORD: 'pw' }).ice.turn).toEqual({
      urls: ['turn:t.example'],
      credentials: { kind: 'static', username: 'kit', password: 'pw' },
    });
  });

  it('should report every bad variable at once', () => {
    try {
      loadServiceKitConfig({ PORT: 'x', LOG_LEVEL: 'y' });
      throw new Error('expected a ConfigurationError');
    } catch (error) {
      expect((error as ConfigurationError).problems).toHaveLength(2);
    }
  });

  it('should allow no embedding by default, and read exact embed origins and the context secret', () => {
    expect(loadServiceKitConfig({}).embed).toEqual({ origins: [], contextSecret: null });
    expect(
      loadServiceKitConfig({
        EMBED_ORIGINS: 'https://shop.example, http://127.0.0.1:8080 https://shop.example',
        EMBED_CONTEXT_SECRET: 'c'.repeat(32),
      }).embed,
    ).toEqual({ origins: ['https://shop.example', 'http://127.0.0.1:8080'], contextSecret: 'c'.repeat(32) });
  });

  it('should never echo a bad context secret back in the error', () => {
    expect(() => loadServiceKitConfig({ EMBED_CONTEXT_SECRET: 'tiny-secret', EMBED_ORIGINS: 'https://a.example' })).not.toThrow(
      /tiny-secret/,
    );
  });

  it('should parse TRUST_PROXY as Express understands it', () => {
    expect(loadServiceKitConfig({}).trustProxy).toBe(false);
    expect(loadServiceKitConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadServiceKitConfig({ TRUST_PROXY: '10.0.0.1, 10.0.0.0/8' }).trustProxy).toEqual(['10.0.0.1', '10.0.0.0/8']);
  });
});

describe('parseMemcachedServers', () => {
  it('should accept IPv6 literals and default the port', () => {
    expect(parseMemcachedServers('[::1]:11311,[::1]')).toEqual(['[::1]:11311', '[::1]:11211']);
  });
});
