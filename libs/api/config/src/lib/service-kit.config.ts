/** The typed configuration every API module receives. Built once, at start-up, from the environment. */
export type StoreConfig =
  | { kind: 'memory' }
  | {
      kind: 'memcached';
      servers: string[];
      username?: string;
      password?: string;
      timeoutMs: number;
    };

export type VideoConfig = { provider: 'p2p' } | { provider: 'opentok'; apiKey: string; apiSecret: string; apiUrl?: string };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** `false` (no proxy), a hop count, or a list of trusted proxy addresses/subnets (Express semantics). */
export type TrustProxy = false | number | string[];

/** One opening window on one ISO weekday (1 Monday … 7 Sunday), minutes after local midnight. */
export interface OpeningWindow {
  weekday: number;
  fromMinute: number;
  toMinute: number;
}

export interface OpeningHoursConfig {
  /** IANA time zone the hours and the closed dates are in. */
  zone: string;
  windows: OpeningWindow[];
  /** ISO dates (YYYY-MM-DD) in `zone` when the service stays closed. */
  closedDates: string[];
}

export interface BrandConfig {
  name: string;
  /** Hex, lower case; null: the pages' own colour. */
  color: string | null;
  /** A same-origin path or an https URL; null: no logo. */
  logoUrl: string | null;
}

export abstract class ServiceKitConfig {
  abstract readonly host: string;
  abstract readonly port: number;
  abstract readonly store: StoreConfig;
  abstract readonly keyPrefix: string;
  abstract readonly video: VideoConfig;
  abstract readonly repPasscode: string;
  abstract readonly opsToken: string;
  abstract readonly tokenSecret: string;
  /** Names of the secrets generated at start-up because they were not configured. */
  abstract readonly generatedSecrets: readonly ('REP_PASSCODE' | 'OPS_TOKEN' | 'TOKEN_SECRET')[];
  abstract readonly noShowMs: number;
  abstract readonly presenceGraceMs: number;
  /**
   * After SIGTERM, how long readiness answers 503 while the instance still serves everything, so that load
   * balancers stop sending before the drain starts.
   */
  abstract readonly shutdownDelayMs: number;
  /** Requests per client address per minute; 0 turns the limit off. */
  abstract readonly helpSessionRateLimit: number;
  abstract readonly signInRateLimit: number;
  abstract readonly trustProxy: TrustProxy;
  abstract readonly corsOrigins: string[];
  abstract readonly logLevel: LogLevel;
  /** null: always open. */
  abstract readonly openingHours: OpeningHoursConfig | null;
  /** A new arrival beyond these is turned away (to the callback form); null: no limit. */
  abstract readonly maxQueueLength: number | null;
  abstract readonly maxEstimatedWaitMs: number | null;
  /** Callback requests (and their contact data) are deleted after this at the latest. */
  abstract readonly callbackRetentionHours: number;
  /** Feedback comments (free text, possibly personal) are deleted after this. */
  abstract readonly feedbackCommentRetentionDays: number;
  abstract readonly brand: BrandConfig;
}
