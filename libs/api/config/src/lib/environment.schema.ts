import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value);
const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const wholeNumber = (min: number, max: number) => `$property must be a whole number from ${min} to ${max} (got "$value")`;

/**
 * The environment as the operator writes it. Every variable is optional: the defaults run the product
 * out of the box. Messages name the variable so a bad deployment says what to fix.
 */
export class EnvironmentVariables {
  @IsOptional()
  @IsString()
  @Transform(trimmed)
  @MinLength(1, { message: 'HOST must not be empty' })
  HOST?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: wholeNumber(0, 65535) })
  @Min(0, { message: wholeNumber(0, 65535) })
  @Max(65535, { message: wholeNumber(0, 65535) })
  PORT?: number;

  @IsOptional()
  @IsString()
  @Transform(trimmed)
  MEMCACHED_SERVERS?: string;
  @IsOptional()
  @IsString()
  @Transform(trimmed)
  MEMCACHEDCLOUD_SERVERS?: string;
  @IsOptional()
  @IsString()
  MEMCACHED_USERNAME?: string;
  @IsOptional()
  @IsString()
  MEMCACHED_PASSWORD?: string;
  @IsOptional()
  @IsString()
  MEMCACHEDCLOUD_USERNAME?: string;
  @IsOptional()
  @IsString()
  MEMCACHEDCLOUD_PASSWORD?: string;
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: wholeNumber(50, 60000) })
  @Min(50, { message: wholeNumber(50, 60000) })
  @Max(60000, { message: wholeNumber(50, 60000) })
  MEMCACHED_TIMEOUT_MS?: number;
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{0,32}$/, {
    message: 'KEY_PREFIX must be at most 32 letters, digits or "_.:-" (got "$value")',
  })
  KEY_PREFIX?: string;

  @IsOptional()
  @IsString()
  @Transform(trimmed)
  @MinLength(1, { message: 'OPENTOK_API_KEY must not be empty' })
  OPENTOK_API_KEY?: string;
  @IsOptional()
  @IsString()
  @Transform(trimmed)
  @MinLength(1, { message: 'OPENTOK_API_SECRET must not be empty' })
  OPENTOK_API_SECRET?: string;
  @IsOptional()
  @IsString()
  @Transform(trimmed)
  @MinLength(1, { message: 'OPENTOK_KEY must not be empty' })
  OPENTOK_KEY?: string;
  @IsOptional()
  @IsString()
  @Transform(trimmed)
  @MinLength(1, { message: 'OPENTOK_SECRET must not be empty' })
  OPENTOK_SECRET?: string;
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    {
      message: 'OPENTOK_API_URL must be an http(s) URL such as https://api.opentok.com (got "$value")',
    },
  )
  OPENTOK_API_URL?: string;

  @IsOptional()
  @IsString()
  @Transform(trimmed)
  STUN_URLS?: string;
  @IsOptional()
  @IsString()
  @Transform(trimmed)
  TURN_URLS?: string;
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'TURN_SECRET must be at least 16 characters long (use the static-auth-secret of coturn)' })
  TURN_SECRET?: string;
  @IsOptional()
  @IsString()
  @Matches(/^[^:\s]{1,128}$/, { message: 'TURN_USERNAME must be 1 to 128 characters without spaces or ":"' })
  TURN_USERNAME?: string;
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'TURN_PASSWORD must not be empty' })
  TURN_PASSWORD?: string;
  @IsOptional()
  @Transform(trimmed)
  @IsIn(['all', 'relay'], { message: 'ICE_TRANSPORT_POLICY must be all or relay (got "$value")' })
  ICE_TRANSPORT_POLICY?: string;

  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'REP_PASSCODE must be at least 8 characters long' })
  @MaxLength(200, { message: 'REP_PASSCODE must be at most 200 characters long' })
  REP_PASSCODE?: string;
  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'SUPERVISOR_PASSCODE must be at least 8 characters long' })
  @MaxLength(200, { message: 'SUPERVISOR_PASSCODE must be at most 200 characters long' })
  SUPERVISOR_PASSCODE?: string;

  @IsOptional()
  @IsString()
  @Transform(trimmed)
  @MinLength(1, { message: 'REP_ACCOUNTS_FILE must not be empty' })
  REP_ACCOUNTS_FILE?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: wholeNumber(2000, 2592000000) })
  @Min(2000, { message: wholeNumber(2000, 2592000000) })
  @Max(2592000000, { message: wholeNumber(2000, 2592000000) })
  REP_IDLE_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: wholeNumber(10000, 2592000000) })
  @Min(10000, { message: wholeNumber(10000, 2592000000) })
  @Max(2592000000, { message: wholeNumber(10000, 2592000000) })
  REP_SESSION_MAX_MS?: number;

  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'PUBLIC_URL must be the http(s) origin the browsers use, such as https://help.example.com (got "$value")' },
  )
  PUBLIC_URL?: string;

  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    {
      message:
        'OIDC_ISSUER must be the http(s) URL of your identity provider, such as https://login.example.com/realms/staff (got "$value")',
    },
  )
  OIDC_ISSUER?: string;

  @IsOptional()
  @IsString()
  @Transform(trimmed)
  @MinLength(1, { message: 'OIDC_CLIENT_ID must not be empty' })
  OIDC_CLIENT_ID?: string;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_SECRET?: string;

  @IsOptional()
  @IsString()
  @Transform(trimmed)
  @MinLength(1, { message: 'OIDC_REP_GROUP must not be empty' })
  OIDC_REP_GROUP?: string;

  @IsOptional()
  @IsString()
  @Transform(trimmed)
  @MinLength(1, { message: 'OIDC_SUPERVISOR_GROUP must not be empty' })
  OIDC_SUPERVISOR_GROUP?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_:./-]{1,100}$/, { message: 'OIDC_GROUPS_CLAIM must be a claim name such as groups or roles (got "$value")' })
  OIDC_GROUPS_CLAIM?: string;

  @IsOptional()
  @IsString()
  @Transform(trimmed)
  @MinLength(1, { message: 'OIDC_PROVIDER_NAME must not be empty' })
  @MaxLength(60, { message: 'OIDC_PROVIDER_NAME must be at most 60 characters long' })
  OIDC_PROVIDER_NAME?: string;

  @IsOptional()
  @Matches(/^[\w:./-]+(\s+[\w:./-]+)*$/, {
    message: 'OIDC_SCOPES must be scopes separated by spaces, such as "openid profile groups" (got "$value")',
  })
  OIDC_SCOPES?: string;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'OPS_TOKEN must be at least 16 characters long' })
  OPS_TOKEN?: string;
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'TOKEN_SECRET must be at least 32 characters long' })
  TOKEN_SECRET?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: wholeNumber(1000, 60000) })
  @Min(1000, { message: wholeNumber(1000, 60000) })
  @Max(60000, { message: wholeNumber(1000, 60000) })
  NO_SHOW_MS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: wholeNumber(0, 600000) })
  @Min(0, { message: wholeNumber(0, 600000) })
  @Max(600000, { message: wholeNumber(0, 600000) })
  WRAP_UP_MS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: wholeNumber(1000, 300000) })
  @Min(1000, { message: wholeNumber(1000, 300000) })
  @Max(300000, { message: wholeNumber(1000, 300000) })
  PRESENCE_GRACE_MS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: wholeNumber(1000, 600000) })
  @Min(1000, { message: wholeNumber(1000, 600000) })
  @Max(600000, { message: wholeNumber(1000, 600000) })
  CALL_REJOIN_MS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: wholeNumber(0, 60000) })
  @Min(0, { message: wholeNumber(0, 60000) })
  @Max(60000, { message: wholeNumber(0, 60000) })
  SHUTDOWN_DELAY_MS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: wholeNumber(0, 100000) })
  @Min(0, { message: wholeNumber(0, 100000) })
  @Max(100000, { message: wholeNumber(0, 100000) })
  HELP_SESSION_RATE_LIMIT?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: wholeNumber(0, 100000) })
  @Min(0, { message: wholeNumber(0, 100000) })
  @Max(100000, { message: wholeNumber(0, 100000) })
  SIGN_IN_RATE_LIMIT?: number;

  @IsOptional()
  @IsString()
  @Transform(trimmed)
  @Matches(/^(true|false|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*|loopback|linklocal|uniquelocal)$/, {
    message: 'TRUST_PROXY must be true, false, a hop count, or a comma-separated list of proxy addresses (got "$value")',
  })
  TRUST_PROXY?: string;

  @IsOptional()
  @IsString()
  @Transform(trimmed)
  CORS_ORIGINS?: string;

  @IsOptional()
  @IsString()
  @Transform(trimmed)
  EMBED_ORIGINS?: string;
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'EMBED_CONTEXT_SECRET must be at least 32 characters long' })
  EMBED_CONTEXT_SECRET?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "$value")',
  })
  LOG_LEVEL?: string;

  @IsOptional()
  @IsString()
  @Transform(trimmed)
  OPENING_HOURS?: string;
  @IsOptional()
  @IsString()
  @Transform(trimmed)
  CLOSED_DATES?: string;
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: wholeNumber(0, 100000) })
  @Min(0, { message: wholeNumber(0, 100000) })
  @Max(100000, { message: wholeNumber(0, 100000) })
  MAX_QUEUE_LENGTH?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: wholeNumber(0, 86400000) })
  @Min(0, { message: wholeNumber(0, 86400000) })
  @Max(86400000, { message: wholeNumber(0, 86400000) })
  MAX_ESTIMATED_WAIT_MS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: wholeNumber(1, 720) })
  @Min(1, { message: wholeNumber(1, 720) })
  @Max(720, { message: wholeNumber(1, 720) })
  CALLBACK_RETENTION_HOURS?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: wholeNumber(1, 30) })
  @Min(1, { message: wholeNumber(1, 30) })
  @Max(30, { message: wholeNumber(1, 30) })
  FEEDBACK_COMMENT_RETENTION_DAYS?: number;

  @IsOptional()
  @IsString()
  @Transform(trimmed)
  @MinLength(1, { message: 'BRAND_NAME must not be empty' })
  @MaxLength(60, { message: 'BRAND_NAME must be at most 60 characters long' })
  BRAND_NAME?: string;
  @IsOptional()
  @IsString()
  @Transform(trimmed)
  BRAND_COLOR?: string;
  @IsOptional()
  @IsString()
  @Transform(trimmed)
  @MaxLength(2000, { message: 'BRAND_LOGO_URL must be at most 2000 characters long' })
  BRAND_LOGO_URL?: string;
}
