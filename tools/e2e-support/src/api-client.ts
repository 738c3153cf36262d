import { createHmac } from 'node:crypto';
import type { ClaimNextResponse, CreateHelpSessionResponse, QueuePositionResponse, RepSignInResponse } from '@servicekit/contracts';

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** One HTTP call to the API with a JSON body (or a raw string) and an optional bearer token. */
export async function call<T = unknown>(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; token?: string; cookie?: string; origin?: string; signal?: AbortSignal } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined || options.raw !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.cookie) headers['cookie'] = options.cookie;
  if (options.origin) headers['origin'] = options.origin;
  const response = await fetch(`${base}/api${path}`, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    signal: options.signal,
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

export const createHelpSession = (base: string, customerName = 'Ada Lovelace', problemText = 'My router blinks red.') =>
  call<CreateHelpSessionResponse>(base, 'POST', '/help-sessions', { body: { customerName, problemText } });

export const enqueue = (base: string, session: CreateHelpSessionResponse) =>
  call<QueuePositionResponse>(base, 'POST', `/help-sessions/${session.id}/queue`, { token: session.customerToken });

export const cancel = (base: string, session: CreateHelpSessionResponse) =>
  call(base, 'DELETE', `/help-sessions/${session.id}/queue`, { token: session.customerToken });

export const endSession = (base: string, id: string, token: string) => call(base, 'DELETE', `/help-sessions/${id}`, { token });

export const signIn = (base: string, name = 'Grace', passcode = TEST_PASSCODE) =>
  call<RepSignInResponse>(base, 'POST', '/reps/sessions', { body: { name, passcode } });

export const claimNext = (base: string, repToken: string, waitMs?: number, signal?: AbortSignal) =>
  call<ClaimNextResponse | undefined>(base, 'POST', '/queue/next', {
    token: repToken,
    body: waitMs === undefined ? {} : { waitMs },
    signal,
  });

export const TEST_PASSCODE = 'e2e-passcode-1234';
export const TEST_TOKEN_SECRET = 'e2e-token-secret-0123456789abcdefghijklmnop';
export const TEST_OPS_TOKEN = 'e2e-ops-token-0123456789';
export const TEST_SUPERVISOR_PASSCODE = 'e2e-supervisor-passcode-5678';

/** Secrets shared by every instance a test starts, so tokens work across instances. */
export const SHARED_SECRETS = {
  REP_PASSCODE: TEST_PASSCODE,
  TOKEN_SECRET: TEST_TOKEN_SECRET,
  OPS_TOKEN: TEST_OPS_TOKEN,
  SUPERVISOR_PASSCODE: TEST_SUPERVISOR_PASSCODE,
};

/** An HS256 JWT signed like the API's own tokens (for ids the API never issued, or expired ones). */
export function mintToken(claims: Record<string, unknown>, secret = TEST_TOKEN_SECRET): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

export function customerTokenFor(helpSessionId: string, expiresInSeconds = 600): string {
  const now = Math.floor(Date.now() / 1000);
  return mintToken({ sub: helpSessionId, aud: 'servicekit-customer', iat: now, exp: now + expiresInSeconds });
}

/**
 * Empties the queue: takes everyone still waiting and ends their help sessions, so that no pending no-show
 * hands them back into a later test.
 */
export async function drainQueue(base: string): Promise<void> {
  const rep = (await signIn(base, 'Drain')).body.token;
  for (;;) {
    const reply = await claimNext(base, rep);
    if (reply.status !== 200 || !reply.body) return;
    await endSession(base, reply.body.helpSession.id, rep);
  }
}
