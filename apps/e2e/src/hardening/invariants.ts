import { ERROR_CODES } from '@servicekit/contracts';
import { SHARED_SECRETS, type ApiServer } from '@servicekit/tools/e2e-support';

/** What a person can act on: it starts with a capital letter and ends with a full stop. */
export function isSentence(text: unknown): boolean {
  return typeof text === 'string' && /^\p{Lu}/u.test(text) && text.endsWith('.');
}

/** Messages of the libraries under the API, which must never reach a client as they are. */
const RAW_LIBRARY_TEXT = [
  /incorrect header check/i,
  /unexpected end of file/i,
  /decompression failed/i,
  /unsupported (content encoding|charset)/i,
  /content encoding unsupported/i,
  /failed to decode param/i,
  /validation failed/i,
  /should not exist/i,
  /an unknown value was passed/i,
  /must be an? (string|number|integer|object)\b/,
  /in JSON at position/i,
  /Unexpected token/,
  /Cannot (GET|POST|PUT|PATCH|DELETE|OPTIONS) \//,
  /Internal server error/i,
  /request (size did not match|aborted|entity too large)/i,
  /Maximum call stack/i,
  /\b(RangeError|TypeError|SyntaxError|URIError)\b/,
];

/** Traces, paths and secrets: nothing of the inside may show in any body. */
const INSIDE = [
  /\n\s+at\s/,
  /\bat [\w$.<>]+ \([^)]*:\d+:\d+\)/,
  /node_modules/,
  /\/(work|srv|home|usr|tmp|root)\//,
  /dist\/apps/,
  /\.(ts|js):\d+/,
];

export interface LeakContext {
  /** host:port of the memcached the API uses. */
  memcachedAddress: string;
  /** Operators see the store's address in readiness: set for those answers. */
  operatorDetail?: boolean;
}

/** Everything wrong with one HTTP answer, in words; empty when it keeps every promise. */
export function httpViolations(status: number, text: string, context: LeakContext): string[] {
  const problems: string[] = [];
  if (status >= 500) problems.push(`status ${status} (no 5xx may come from bad input on a healthy store)`);
  problems.push(...leaks(text, context));
  if (status < 400) return problems;

  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return [...problems, `a ${status} whose body is not JSON: ${text.slice(0, 200)}`];
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [...problems, `a ${status} whose body is not an object`];
  const extra = Object.keys(body).filter((key) => !['statusCode', 'error', 'code', 'message', 'details'].includes(key));
  if (extra.length > 0) problems.push(`unexpected keys ${JSON.stringify(extra)}`);
  if (body['statusCode'] !== status) problems.push(`statusCode ${JSON.stringify(body['statusCode'])} is not the status ${status}`);
  if (typeof body['error'] !== 'string' || body['error'] === '') problems.push('no error reason');
  if (!(ERROR_CODES as readonly unknown[]).includes(body['code']))
    problems.push(`code ${JSON.stringify(body['code'])} is not in ERROR_CODES`);
  problems.push(...sentenceProblems('message', body['message']));
  const details = body['details'];
  if (details !== undefined) {
    if (typeof details !== 'object' || details === null || Array.isArray(details)) problems.push('details is not an object');
    else
      for (const [field, message] of Object.entries(details))
        problems.push(...sentenceProblems(`details[${JSON.stringify(field)}]`, message));
  }
  return problems;
}

export function sentenceProblems(where: string, message: unknown): string[] {
  if (!isSentence(message)) return [`${where} is not a sentence: ${JSON.stringify(message)}`];
  const raw = RAW_LIBRARY_TEXT.find((pattern) => pattern.test(message as string));
  return raw ? [`${where} carries library text (${raw}): ${JSON.stringify(message)}`] : [];
}

export function leaks(text: string, context: LeakContext): string[] {
  const problems: string[] = [];
  for (const [name, secret] of Object.entries(SHARED_SECRETS)) if (text.includes(secret)) problems.push(`the body shows ${name}`);
  if (!context.operatorDetail && text.includes(context.memcachedAddress)) problems.push('the body shows the memcached address');
  const inside = INSIDE.find((pattern) => pattern.test(text));
  if (inside) problems.push(`the body shows internals (${inside})`);
  return problems;
}

/** The lines an API process logged at level error or fatal (an unexpected failure, or an uncaught one). */
export function loggedErrors(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /"level":"(error|fatal)"/.test(line) || /^\s*at .+:\d+:\d+\)?$/.test(line))
    .map((line) => line.slice(0, 300));
}

/**
 * Names the case that killed the API process: once it is dead every later case (and every shrink) fails the
 * same way, so the first one is the one to read.
 */
export function watchForDeath(server: ApiServer): { before(): void; after(description: string): void } {
  let killer: string | undefined;
  let last: string | undefined;
  const dead = () => server.process.exitCode !== null || server.process.signalCode !== null;
  return {
    before() {
      if (dead()) {
        const tail = server.output().split('\n').slice(-25).join('\n');
        throw new Error(
          `The API process is gone (exit ${server.process.exitCode ?? server.process.signalCode}); it died during (or just after) ${killer ?? last ?? 'the set-up'}.\n${tail}`,
        );
      }
    },
    after(description) {
      last = description;
      if (dead() && killer === undefined) killer = description;
    },
  };
}
