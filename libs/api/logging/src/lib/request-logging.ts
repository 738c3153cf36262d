import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import type { Request } from 'express';
import pino, { DestinationStream, Logger as PinoLogger } from 'pino';
import { HttpLogger, pinoHttp } from 'pino-http';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Keys whose values never reach a log line, at any depth. */
const SECRET_KEYS = [
  'customerName',
  'problemText',
  // The reference the widget's signed customer context carries. The context token itself is a JWT, scrubbed
  // wherever it appears; `context` as a key is the logger's own (which part of the app wrote the line).
  'reference',
  'token',
  'customerToken',
  'repToken',
  'passcode',
  'authorization',
  'cookie',
  'set-cookie',
];
const SECRET_KEY_SET = new Set(SECRET_KEYS.map((key) => key.toLowerCase()));
const MENTIONS_SECRET_KEY = new RegExp(`"(${SECRET_KEYS.join('|')})"`, 'i');
/** A JWT (all our tokens are JWTs) anywhere in a line, e.g. inside a message someone wrote. */
const JWT = /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]{4,}/g;
/** Query parameters that could carry a secret if a client ever sent one there. */
const SECRET_QUERY = /([?&](?:token|customerToken|access_token|passcode)=)[^&#]*/gi;
const REDACTED = '[Redacted]';

/** An incoming id we keep as it is: short, printable, no spaces or quotes (it ends up in logs and headers). */
const SANE_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/** Probes and scrapes come every few seconds: log them only at debug. */
const QUIET_PATHS = /^\/api\/(health|metrics)(\/|\?|$)/;

/**
 * Structured JSON logs (pino) and the per-request logger (pino-http), built once from the configuration.
 * Every request gets an id (a sane incoming `X-Request-Id`, or a new UUID) that is returned in the response
 * header and carried by every log line written while serving it. Request bodies are never logged; headers
 * only as far as the serializer below lets them through; personal data and secrets are scrubbed from every
 * line, whatever wrote it.
 */
@Injectable()
export class RequestLogging {
  readonly logger: PinoLogger;
  readonly middleware: HttpLogger<IncomingMessage, ServerResponse>;

  constructor(config: ServiceKitConfig) {
    ({ logger: this.logger, middleware: this.middleware } = createRequestLogging(config.logLevel));
  }
}

export function createRequestLogging(
  level: ServiceKitConfig['logLevel'],
  destination: DestinationStream = pino.destination({ dest: 1, sync: true }),
): { logger: PinoLogger; middleware: HttpLogger<IncomingMessage, ServerResponse> } {
  const logger = pino(
    {
      level,
      base: { service: 'servicekit' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'headers.authorization', 'headers.cookie'],
        censor: REDACTED,
      },
      hooks: { streamWrite: scrubLine },
    },
    destination,
  );
  const middleware = pinoHttp({
    logger,
    genReqId: requestId,
    quietReqLogger: false,
    serializers: {
      // The standard request serializer would log every header (the bearer token, the rep cookie).
      // `rep` is put on the request by the rep guards: every action of a rep (claim, end…) says who did it.
      req: (req: { id: unknown; method: string; url: string; raw?: Request & { rep?: { repId: string; name: string } } }) => ({
        id: req.id,
        method: req.method,
        url: scrubUrl(req.raw?.originalUrl ?? req.url),
        ip: req.raw?.ip,
        ...(req.raw?.rep ? { rep: { id: req.raw.rep.repId, name: req.raw.rep.name } } : {}),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (req, res, error) => {
      if (error || res.statusCode >= 500) return 'error';
      if (QUIET_PATHS.test(pathOf(req))) return 'debug';
      return 'info';
    },
    customSuccessMessage: (req, res, responseTime) => `${req.method} ${scrubUrl(pathOf(req))} ${res.statusCode} ${responseTime} ms`,
    customErrorMessage: (req, res) => `${req.method} ${scrubUrl(pathOf(req))} failed with ${res.statusCode}`,
  });
  return { logger, middleware };
}

/** A sane incoming X-Request-Id, else a new one; either way it is echoed in the response. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** Express rewrites `url` inside routers; `originalUrl` is what the client asked for. */
function pathOf(req: IncomingMessage): string {
  return (req as Partial<Request>).originalUrl ?? req.url ?? '';
}

function scrubUrl(url: string): string {
  return url.replace(SECRET_QUERY, `$1${REDACTED}`);
}

/**
 * The last line of defence, on the serialized line: values of secret keys at any depth and anything that
 * looks like a token become "[Redacted]". Lines that mention no such key pay only a regex test.
 */
export function scrubLine(line: string): string {
  const withoutTokens = line.replace(JWT, REDACTED);
  if (!MENTIONS_SECRET_KEY.test(withoutTokens)) return withoutTokens;
  try {
    return `${JSON.stringify(redactDeep(JSON.parse(withoutTokens)))}\n`;
  } catch {
    return withoutTokens;
  }
}

function redactDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, SECRET_KEY_SET.has(key.toLowerCase()) ? REDACTED : redactDeep(inner)]),
  );
}
