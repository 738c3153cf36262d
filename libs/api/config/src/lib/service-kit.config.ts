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

/** How TURN credentials are made: short-lived ones from coturn's shared secret, or one static pair. */
export type TurnCredentialsConfig = { kind: 'secret'; secret: string } | { kind: 'static'; username: string; password: string };

/** The STUN and TURN servers browsers use for built-in video and the pre-call check. */
export interface IceConfig {
  stunUrls: string[];
  turn: { urls: string[]; credentials: TurnCredentialsConfig } | null;
  /** `relay`: media only through the TURN relay (needs `turn`). */
  transportPolicy: 'all' | 'relay';
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Embedding the customer flow in other sites (the widget, `/embed.js`). No origins: nothing may frame it.
 * `contextSecret` verifies the signed customer context a host site may pass (HS256); null: none accepted.
 */
export interface EmbedConfig {
  /** Exact origins (`https://shop.example`, no path, no wildcard) allowed to frame the embedded customer page. */
  readonly origins: readonly string[];
  readonly contextSecret: string | null;
}

/** Single sign-on with an OpenID Connect provider (authorization code flow with PKCE). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** Unset for a public client (PKCE only, token endpoint auth "none"). */
  clientSecret?: string;
  /** Values of the groups claim that grant the rep and the supervisor role. */
  repGroup: string;
  supervisorGroup?: string;
  groupsClaim: string;
  /** Shown on the button: "Sign in with <providerName>". */
  providerName: string;
  scopes: string;
}

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

export type GeneratedSecret = 'REP_PASSCODE' | 'SUPERVISOR_PASSCODE' | 'OPS_TOKEN' | 'TOKEN_SECRET';

export abstract class ServiceKitConfig {
  abstract readonly host: string;
  abstract readonly port: number;
  abstract readonly store: StoreConfig;
  abstract readonly keyPrefix: string;
  abstract readonly video: VideoConfig;
  abstract readonly ice: IceConfig;
  /**
   * The shared team passcode; null when it is off (accounts or single sign-on are configured and REP_PASSCODE
   * is not set explicitly).
   */
  abstract readonly repPasscode: string | null;
  /** The passcode that signs in a supervisor (rep and supervisor roles); null when off. */
  abstract readonly supervisorPasscode: string | null;
  /** REP_ACCOUNTS_FILE: personal accounts with scrypt password hashes (docs/identity.md). */
  abstract readonly repAccountsFile: string | null;
  abstract readonly oidc: OidcConfig | null;
  /** The origin browsers use (PUBLIC_URL, no trailing slash); null to take it from each request. */
  abstract readonly publicUrl: string | null;
  /** A rep session with no activity for this long ends (REP_IDLE_TIMEOUT_MS). */
  abstract readonly repIdleTimeoutMs: number;
  /** A rep session ends this long after sign-in, active or not (REP_SESSION_MAX_MS). */
  abstract readonly repSessionMaxMs: number;
  abstract readonly opsToken: string;
  abstract readonly tokenSecret: string;
  /** Names of the secrets generated at start-up because they were not configured. */
  abstract readonly generatedSecrets: readonly GeneratedSecret[];
  abstract readonly noShowMs: number;
  /** After a call ends, how long the rep is in wrap-up (refused a next customer) before they are available again; 0 = none. */
  abstract readonly wrapUpMs: number;
  abstract readonly presenceGraceMs: number;
  /**
   * How long a confirmed call waits for a side whose connection was lost (a reload, a network change) before
   * it ends for both with `rejoin-timeout`; the other side is told at once that its partner is away.
   */
  abstract readonly callRejoinMs: number;
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
  abstract readonly embed: EmbedConfig;
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
