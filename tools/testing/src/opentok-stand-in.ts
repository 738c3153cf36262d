import { createServer, IncomingHttpHeaders, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { JwtService } from '@nestjs/jwt';

/** How the stand-in answers `POST /session/create`. */
export type OpenTokStandInBehaviour = 'ok' | 'hang' | 'error500';

export interface OpenTokStandInOptions {
  apiKey: string;
  apiSecret: string;
  /** `ok` when not set. */
  behaviour?: OpenTokStandInBehaviour;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface OpenTokStandIn {
  /** `http://127.0.0.1:<port>`: pass it as the provider's apiUrl. */
  url: string;
  /** Closes the server and every open connection, hung ones included. */
  stop(): Promise<void>;
  setBehaviour(behaviour: OpenTokStandInBehaviour): void;
  /** Every request received so far, oldest first. */
  requests(): RecordedRequest[];
}

/**
 * A local stand-in for the part of the OpenTok REST API our server uses, checking what the real service
 * checks: `POST /session/create` with a form body and an `X-OPENTOK-AUTH` project JWT (HS256, signed
 * with the API secret, `iss` = API key, `ist` = "project"). Its session ids decode to its API key like
 * real ones, so the SDK's `generateToken` accepts them.
 */
export async function startOpenTokStandIn(options: OpenTokStandInOptions): Promise<OpenTokStandIn> {
  const { apiKey } = options;
  let behaviour: OpenTokStandInBehaviour = options.behaviour ?? 'ok';
  const recorded: RecordedRequest[] = [];
  const jwt = new JwtService({ secret: options.apiSecret, verifyOptions: { algorithms: ['HS256'] } });

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      recorded.push({ method: request.method ?? '', path, headers: request.headers, body });

      if (request.method !== 'POST' || path !== '/session/create') {
        return reply(response, 404, { code: 404, message: 'Not Found' });
      }
      if (behaviour === 'hang') return undefined;
      if (behaviour === 'error500') return reply(response, 500, { code: 500, message: 'Internal server error' });

      const authProblem = checkProjectToken(jwt, apiKey, request.headers['x-opentok-auth']);
      if (authProblem) return reply(response, 403, { code: 403, message: authProblem });

      const formProblem = checkSessionForm(request.headers['content-type'], body);
      if (formProblem) return reply(response, 400, { code: 400, message: formProblem });

      const location = new URLSearchParams(body).get('location') ?? '';
      const created = new Date().toUTCString();
      const random = Math.random().toString();
      const sessionId = '1_' + Buffer.from(`1~${apiKey}~${location}~${created}~${random}~`, 'latin1').toString('base64url');
      return reply(response, 200, [
        { session_id: sessionId, project_id: apiKey, partner_id: apiKey, create_dt: created, media_server_url: '' },
      ]);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    setBehaviour: (next) => {
      behaviour = next;
    },
    requests: () => [...recorded],
  };
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

/** Why the project token is refused, or null when it is fine. */
function checkProjectToken(jwt: JwtService, apiKey: string, header: string | string[] | undefined): string | null {
  if (typeof header !== 'string' || header === '') return 'Missing X-OPENTOK-AUTH header';
  let claims: Record<string, unknown>;
  try {
    claims = jwt.verify<Record<string, unknown>>(header);
  } catch (error) {
    return `Invalid X-OPENTOK-AUTH token: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (claims['iss'] !== apiKey) return 'Invalid X-OPENTOK-AUTH token: iss is not this project';
  if (claims['ist'] !== 'project') return 'Invalid X-OPENTOK-AUTH token: ist must be "project"';
  if (typeof claims['iat'] !== 'number') return 'Invalid X-OPENTOK-AUTH token: iat is missing';
  if (typeof claims['exp'] !== 'number') return 'Invalid X-OPENTOK-AUTH token: exp is missing';
  return null;
}

/** Why the session form is refused, or null when it is fine. */
function checkSessionForm(contentType: string | undefined, body: string): string | null {
  if (contentType?.split(';')[0]?.trim() !== 'application/x-www-form-urlencoded') {
    return 'Content-Type must be application/x-www-form-urlencoded';
  }
  const form = new URLSearchParams(body);
  const archiveMode = form.get('archiveMode') ?? 'manual';
  const p2p = form.get('p2p.preference') ?? 'enabled';
  if (archiveMode !== 'manual' && archiveMode !== 'always') return `Invalid archiveMode: ${archiveMode}`;
  if (p2p !== 'enabled' && p2p !== 'disabled') return `Invalid p2p.preference: ${p2p}`;
  if (archiveMode === 'always' && p2p === 'enabled') return 'A session archived always must be routed';
  const location = form.get('location');
  if (location !== null && !/^\d{1,3}(\.\d{1,3}){3}$/.test(location)) return `Invalid location: ${location}`;
  return null;
}
