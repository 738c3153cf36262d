import { randomBytes } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvironmentVariables } from './environment.schema';
import { parseBrand, parseClosedDates, parseOpeningHours } from './customer-side.config';
import { LogLevel, OpeningHoursConfig, ServiceKitConfig, StoreConfig, TrustProxy, VideoConfig } from './service-kit.config';

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
  presenceGraceMs: 10000,
  shutdownDelayMs: 5000,
  helpSessionRateLimit: 10,
  signInRateLimit: 10,
  logLevel: 'info' as LogLevel,
  callbackRetentionHours: 72,
  feedbackCommentRetentionDays: 30,
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
  if (problems.length > 0) throw new ConfigurationError(problems);

  const generatedSecrets: ServiceKitConfig['generatedSecrets'][number][] = [];
  const secret = (name: 'REP_PASSCODE' | 'OPS_TOKEN' | 'TOKEN_SECRET', value: string | undefined, make: () => string) => {
    if (value) return value;
    generatedSecrets.push(name);
    return make();
  };

  return {
    host: parsed.HOST ?? DEFAULTS.host,
    port: parsed.PORT ?? DEFAULTS.port,
    store,
    keyPrefix: parsed.KEY_PREFIX ?? DEFAULTS.keyPrefix,
    video,
    repPasscode: secret('REP_PASSCODE', parsed.REP_PASSCODE, () => humanPasscode(random)),
    opsToken: secret('OPS_TOKEN', parsed.OPS_TOKEN, () => random(24).toString('base64url')),
    tokenSecret: secret('TOKEN_SECRET', parsed.TOKEN_SECRET, () => random(48).toString('base64url')),
    generatedSecrets,
    noShowMs: parsed.NO_SHOW_MS ?? DEFAULTS.noShowMs,
    presenceGraceMs: parsed.PRESENCE_GRACE_MS ?? DEFAULTS.presenceGraceMs,
    shutdownDelayMs: parsed.SHUTDOWN_DELAY_MS ?? DEFAULTS.shutdownDelayMs,
    helpSessionRateLimit: parsed.HELP_SESSION_RATE_LIMIT ?? DEFAULTS.helpSessionRateLimit,
    signInRateLimit: parsed.SIGN_IN_RATE_LIMIT ?? DEFAULTS.signInRateLimit,
    trustProxy: parseTrustProxy(parsed.TRUST_PROXY),
    corsOrigins: splitList(parsed.CORS_ORIGINS),
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
