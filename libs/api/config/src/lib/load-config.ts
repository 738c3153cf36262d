import { randomBytes } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvironmentVariables } from './environment.schema';
import { parseBrand, parseClosedDates, parseOpeningHours } from './customer-side.config';
import {
  EmbedConfig,
  GeneratedSecret,
  IceConfig,
  LogLevel,
  OpeningHoursConfig,
  OidcConfig,
  ServiceKitConfig,
  StoreConfig,
  TrustProxy,
  VideoConfig,
} from './service-kit.config';

/** Thrown at start-up; the message lists every bad variable by name. */
export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

type Env = Record<string, string | undefined>;

const DEFAULTS = {
  host: '0.0.0.0',
  port: 3000,
  memcachedTimeoutMs: 1000,
  keyPrefix: 'sk:',
  noShowMs: 5000,
  wrapUpMs: 0,
  presenceGraceMs: 10000,
  callRejoinMs: 30000,
  shutdownDelayMs: 5000,
  helpSessionRateLimit: 10,
  signInRateLimit: 10,
  logLevel: 'info' as LogLevel,
  callbackRetentionHours: 72,
  feedbackCommentRetentionDays: 30,
  repIdleTimeoutMs: 8 * 60 * 60 * 1000,
  repSessionMaxMs: 12 * 60 * 60 * 1000,
  oidcGroupsClaim: 'groups',
  oidcScopes: 'openid profile',
};

/**
 * Reads, validates and types the environment once. Unset secrets are generated so that `npm start`
 * works out of the box; the caller prints them once (they are never logged).
 */
export function loadServiceKitConfig(rawEnv: Env, random: (bytes: number) => Buffer = randomBytes): ServiceKitConfig {
  // Empty strings count as unset: `FOO=` in a .env or a compose file means "no value".
  const env: Env = Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = plainToInstance(EnvironmentVariables, env, { excludeExtraneousValues: false });
  const errors = validateSync(parsed, { skipMissingProperties: false, whitelist: false });
  // One message per variable: several constraints share the same sentence.
  const problems = errors.map((e) => Object.values(e.constraints ?? {})[0]).filter((m): m is string => !!m);

  const store = parseStore(parsed, problems);
  const video = parseVideo(parsed, problems);
  const openingHours = parseHours(parsed, problems);
  const brand = parseBrand(parsed.BRAND_NAME, parsed.BRAND_COLOR, parsed.BRAND_LOGO_URL, problems);
  const ice = parseIce(parsed, problems);
  const embed = parseEmbed(parsed, problems);
  const oidc = parseOidc(parsed, problems);
  const publicUrl = parsePublicUrl(parsed.PUBLIC_URL, problems);
  if (problems.length > 0) throw new ConfigurationError(problems);

  const generatedSecrets: GeneratedSecret[] = [];
  const secret = (name: GeneratedSecret, value: string | undefined, make: () => string) => {
    if (value) return value;
    generatedSecrets.push(name);
    return make();
  };
  // The shared passcodes are the zero-configuration way in: with accounts or single sign-on they are off
  // unless set explicitly. With nothing configured both are generated, so `npm start` has a rep and a supervisor.
  const personal = parsed.REP_ACCOUNTS_FILE !== undefined || oidc !== null;
  const zeroConfig = !personal && parsed.REP_PASSCODE === undefined;
  const repPasscode = personal ? (parsed.REP_PASSCODE ?? null) : secret('REP_PASSCODE', parsed.REP_PASSCODE, () => humanPasscode(random));
  const supervisorPasscode = zeroConfig
    ? secret('SUPERVISOR_PASSCODE', parsed.SUPERVISOR_PASSCODE, () => humanPasscode(random))
    : (parsed.SUPERVISOR_PASSCODE ?? null);

  return {
    host: parsed.HOST ?? DEFAULTS.host,
    port: parsed.PORT ?? DEFAULTS.port,
    store,
    keyPrefix: parsed.KEY_PREFIX ?? DEFAULTS.keyPrefix,
    video,
    ice,
    repPasscode,
    supervisorPasscode,
    repAccountsFile: parsed.REP_ACCOUNTS_FILE ?? null,
    oidc,
    publicUrl,
    repIdleTimeoutMs: parsed.REP_IDLE_TIMEOUT_MS ?? DEFAULTS.repIdleTimeoutMs,
    repSessionMaxMs: parsed.REP_SESSION_MAX_MS ?? DEFAULTS.repSessionMaxMs,
    opsToken: secret('OPS_TOKEN', parsed.OPS_TOKEN, () => random(24).toString('base64url')),
    tokenSecret: secret('TOKEN_SECRET', parsed.TOKEN_SECRET, () => random(48).toString('base64url')),
    generatedSecrets,
    noShowMs: parsed.NO_SHOW_MS ?? DEFAULTS.noShowMs,
    wrapUpMs: parsed.WRAP_UP_MS ?? DEFAULTS.wrapUpMs,
    presenceGraceMs: parsed.PRESENCE_GRACE_MS ?? DEFAULTS.presenceGraceMs,
    callRejoinMs: parsed.CALL_REJOIN_MS ?? DEFAULTS.callRejoinMs,
    shutdownDelayMs: parsed.SHUTDOWN_DELAY_MS ?? DEFAULTS.shutdownDelayMs,
    helpSessionRateLimit: parsed.HELP_SESSION_RATE_LIMIT ?? DEFAULTS.helpSessionRateLimit,
    signInRateLimit: parsed.SIGN_IN_RATE_LIMIT ?? DEFAULTS.signInRateLimit,
    trustProxy: parseTrustProxy(parsed.TRUST_PROXY),
    corsOrigins: splitList(parsed.CORS_ORIGINS),
    embed,
    logLevel: (parsed.LOG_LEVEL as LogLevel | undefined) ?? DEFAULTS.logLevel,
    openingHours,
    // 0 means no limit, like the rate limits.
    maxQueueLength: parsed.MAX_QUEUE_LENGTH ? parsed.MAX_QUEUE_LENGTH : null,
    maxEstimatedWaitMs: parsed.MAX_ESTIMATED_WAIT_MS ? parsed.MAX_ESTIMATED_WAIT_MS : null,
    callbackRetentionHours: parsed.CALLBACK_RETENTION_HOURS ?? DEFAULTS.callbackRetentionHours,
    feedbackCommentRetentionDays: parsed.FEEDBACK_COMMENT_RETENTION_DAYS ?? DEFAULTS.feedbackCommentRetentionDays,
    brand,
  };
}

function parseHours(env: EnvironmentVariables, problems: string[]): OpeningHoursConfig | null {
  let closedDates: string[] = [];
  try {
    closedDates = env.CLOSED_DATES ? parseClosedDates(env.CLOSED_DATES) : [];
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (!env.OPENING_HOURS) {
    if (closedDates.length > 0) problems.push('CLOSED_DATES is set but OPENING_HOURS is not: the dates need its time zone');
    return null;
  }
  try {
    return { ...parseOpeningHours(env.OPENING_HOURS), closedDates };
  } catch (error) {
    problems.push((error as Error).message);
    return null;
  }
}

/** "host:port,host:port" (commas or spaces); the port defaults to memcached's 11211. */
export function parseMemcachedServers(value: string): string[] {
  return splitList(value).map((entry) => {
    const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(entry);
    const port = match?.[2] === undefined ? 11211 : Number(match[2]);
    if (!match || port < 1 || port > 65535) {
      throw new Error(`"${entry}" is not a memcached server address: write host:port, for example 127.0.0.1:11211`);
    }
    return `${match[1]}:${port}`;
  });
}

function parseStore(env: EnvironmentVariables, problems: string[]): StoreConfig {
  const name = env.MEMCACHED_SERVERS ? 'MEMCACHED_SERVERS' : 'MEMCACHEDCLOUD_SERVERS';
  const list = env.MEMCACHED_SERVERS ?? env.MEMCACHEDCLOUD_SERVERS;
  if (!list) return { kind: 'memory' };
  let servers: string[] = [];
  try {
    servers = parseMemcachedServers(list);
    if (servers.length === 0) problems.push(`${name} lists no server: write host:port[,host:port…]`);
  } catch (error) {
    problems.push(`${name}: ${(error as Error).message}`);
  }
  const username = env.MEMCACHED_USERNAME ?? env.MEMCACHEDCLOUD_USERNAME;
  const password = env.MEMCACHED_PASSWORD ?? env.MEMCACHEDCLOUD_PASSWORD;
  if ((username === undefined) !== (password === undefined)) {
    problems.push('MEMCACHED_USERNAME and MEMCACHED_PASSWORD must be set together (SASL needs both)');
  }
  return { kind: 'memcached', servers, username, password, timeoutMs: env.MEMCACHED_TIMEOUT_MS ?? DEFAULTS.memcachedTimeoutMs };
}

function parseVideo(env: EnvironmentVariables, problems: string[]): VideoConfig {
  const apiKey = env.OPENTOK_API_KEY ?? env.OPENTOK_KEY;
  const apiSecret = env.OPENTOK_API_SECRET ?? env.OPENTOK_SECRET;
  if (apiKey === undefined && apiSecret === undefined) {
    if (env.OPENTOK_API_URL) problems.push('OPENTOK_API_URL is set but OPENTOK_API_KEY and OPENTOK_API_SECRET are not');
    return { provider: 'p2p' };
  }
  if (apiKey === undefined) problems.push('OPENTOK_API_SECRET is set but OPENTOK_API_KEY is not: set both, or neither for built-in video');
  if (apiSecret === undefined)
    problems.push('OPENTOK_API_KEY is set but OPENTOK_API_SECRET is not: set both, or neither for built-in video');
  return { provider: 'opentok', apiKey: apiKey ?? '', apiSecret: apiSecret ?? '', apiUrl: env.OPENTOK_API_URL };
}

const HOST = String.raw`(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?`;
const STUN_URL = new RegExp(`^stuns?:${HOST}$`);
const TURN_URL = new RegExp(`^turns?:${HOST}(\\?transport=(udp|tcp))?$`);

/** STUN and TURN for built-in video: URLs, how TURN credentials are made, and the transport policy. */
function parseIce(env: EnvironmentVariables, problems: string[]): IceConfig {
  const urls = (name: 'STUN_URLS' | 'TURN_URLS', pattern: RegExp, example: string) =>
    splitList(env[name]).filter((url) => {
      if (pattern.test(url)) return true;
      problems.push(`${name}: "${url}" is not a ${name === 'STUN_URLS' ? 'STUN' : 'TURN'} URL: write it like ${example}`);
      return false;
    });
  const stunUrls = urls('STUN_URLS', STUN_URL, 'stun:turn.example.com:3478');
  const turnUrls = urls('TURN_URLS', TURN_URL, 'turn:turn.example.com:3478?transport=udp or turns:turn.example.com:443?transport=tcp');
  const { TURN_SECRET: secret, TURN_USERNAME: username, TURN_PASSWORD: password } = env;
  if ((username === undefined) !== (password === undefined)) {
    problems.push('TURN_USERNAME and TURN_PASSWORD must be set together (static TURN credentials need both)');
  }
  if (secret !== undefined && username !== undefined) {
    problems.push('TURN_SECRET and TURN_USERNAME are both set: use TURN_SECRET (short-lived credentials) or the static pair, not both');
  }
  const credentials =
    secret !== undefined
      ? ({ kind: 'secret', secret } as const)
      : username !== undefined && password !== undefined
        ? ({ kind: 'static', username, password } as const)
        : null;
  if (env.TURN_URLS && !credentials) {
    problems.push('TURN_URLS is set but TURN_SECRET (or TURN_USERNAME and TURN_PASSWORD) is not: a TURN server needs credentials');
  }
  if (!env.TURN_URLS && credentials) {
    problems.push(
      `${credentials.kind === 'secret' ? 'TURN_SECRET' : 'TURN_USERNAME'} is set but TURN_URLS is not: list the TURN server URLs`,
    );
  }
  const transportPolicy = env.ICE_TRANSPORT_POLICY === 'relay' ? 'relay' : 'all';
  if (transportPolicy === 'relay' && !env.TURN_URLS) {
    problems.push('ICE_TRANSPORT_POLICY is relay but TURN_URLS is not set: without a relay no call can connect');
  }
  return { stunUrls, turn: turnUrls.length > 0 && credentials ? { urls: turnUrls, credentials } : null, transportPolicy };
}

/**
 * EMBED_ORIGINS: exact origins as a browser sends them (scheme, host, optional port; lower case; no path, no
 * trailing slash, no wildcard), because frame-ancestors and the postMessage checks compare them exactly.
 */
function parseEmbed(env: EnvironmentVariables, problems: string[]): EmbedConfig {
  const origins: string[] = [];
  for (const entry of splitList(env.EMBED_ORIGINS)) {
    const origin = exactOrigin(entry);
    if (origin === null) {
      problems.push(`EMBED_ORIGINS: "${entry}" is not an origin: write scheme and host only, for example https://shop.example`);
    } else if (origin !== entry) {
      problems.push(`EMBED_ORIGINS: write "${entry}" exactly as browsers send it: ${origin}`);
    } else if (!origins.includes(origin)) {
      origins.push(origin);
    }
  }
  const contextSecret = env.EMBED_CONTEXT_SECRET ?? null;
  if (contextSecret !== null && origins.length === 0) {
    problems.push('EMBED_CONTEXT_SECRET is set but EMBED_ORIGINS is not: context tokens only come through the widget on those sites');
  }
  if (contextSecret !== null && contextSecret === env.TOKEN_SECRET) {
    problems.push('EMBED_CONTEXT_SECRET must differ from TOKEN_SECRET: host sites hold it, and must not be able to sign our own tokens');
  }
  return { origins, contextSecret };
}

/** The origin of an http(s) URL with nothing after the host, or null. */
function exactOrigin(entry: string): string | null {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/' || url.hostname.includes('*')) return null;
  // "https://shop.example/" is the same origin written with a slash; anything longer is a path.
  return /^[a-z]+:\/\/[^/]+\/?$/i.test(entry) ? url.origin : null;
}

function parseOidc(env: EnvironmentVariables, problems: string[]): OidcConfig | null {
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_REP_GROUP: repGroup } = env;
  if (issuer === undefined) {
    const stray = (Object.keys(env) as (keyof EnvironmentVariables)[]).filter(
      (name) => name.startsWith('OIDC_') && env[name] !== undefined,
    );
    if (stray.length > 0) problems.push(`${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} set but OIDC_ISSUER is not`);
    return null;
  }
  if (clientId === undefined)
    problems.push('OIDC_ISSUER is set but OIDC_CLIENT_ID is not: register Service Kit as a client and set its id');
  if (repGroup === undefined) {
    problems.push('OIDC_ISSUER is set but OIDC_REP_GROUP is not: name the group (a value of the groups claim) whose members are reps');
  }
  if (env.PUBLIC_URL === undefined) {
    problems.push('OIDC_ISSUER is set but PUBLIC_URL is not: single sign-on needs the public origin for its redirect URL');
  }
  if (/^http:/i.test(issuer) && !/^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/i.test(issuer)) {
    problems.push(`OIDC_ISSUER must be an https URL (plain http only for a provider on this machine); got "${issuer}"`);
  }
  return {
    issuer,
    clientId: clientId ?? '',
    clientSecret: env.OIDC_CLIENT_SECRET,
    repGroup: repGroup ?? '',
    supervisorGroup: env.OIDC_SUPERVISOR_GROUP,
    groupsClaim: env.OIDC_GROUPS_CLAIM ?? DEFAULTS.oidcGroupsClaim,
    providerName: env.OIDC_PROVIDER_NAME ?? hostOf(issuer),
    scopes: env.OIDC_SCOPES ?? DEFAULTS.oidcScopes,
  };
}

/** An origin only: the API serves the customer app at `/`, the rep app at `/rep/` and itself at `/api`. */
function parsePublicUrl(value: string | undefined, problems: string[]): string | null {
  if (value === undefined) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null; // the schema has said what is wrong with it
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    problems.push(`PUBLIC_URL must be an origin without a path, such as ${url.origin} (got "${value}")`);
  }
  return url.origin;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function parseTrustProxy(value: string | undefined): TrustProxy {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return ['0.0.0.0/0', '::/0'];
  if (/^\d+$/.test(value)) return Number(value);
  return splitList(value);
}

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter((s) => s.length > 0);
}

/** Easy to read aloud and type: 3 groups of 4 from an alphabet without look-alikes. */
function humanPasscode(random: (bytes: number) => Buffer): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = random(12);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [chars.slice(0, 4), chars.slice(4, 8), chars.slice(8, 12)].map((g) => g.join('')).join('-');
}
