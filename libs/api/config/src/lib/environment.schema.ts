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
  @MinLength(8, { message: 'REP_PASSCODE must be at least 8 characters long' })
  @MaxLength(200, { message: 'REP_PASSCODE must be at most 200 characters long' })
  REP_PASSCODE?: string;
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
  @IsInt({ message: wholeNumber(1000, 300000) })
  @Min(1000, { message: wholeNumber(1000, 300000) })
  @Max(300000, { message: wholeNumber(1000, 300000) })
  PRESENCE_GRACE_MS?: number;
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
