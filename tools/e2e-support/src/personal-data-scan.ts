/**
 * Looks for secrets (a customer's name, a problem text) in stored text in every form they could take there:
 * plain, JSON-escaped, URL-encoded, base64 or base64url, and inside whatever decodes from the text (JSON
 * strings, URL-encoded text, base64/base64url segments such as the parts of a JWT), a few levels deep.
 */
export function findSecrets(text: string, secrets: readonly string[]): string[] {
  const needles = secrets.flatMap((secret) => encodings(secret).map((encoded) => ({ secret, encoded })));
  const found = new Set<string>();
  for (const view of views(text, 0, new Set())) {
    for (const { secret, encoded } of needles) {
      if (view.includes(encoded)) found.add(secret);
    }
  }
  return [...found];
}

/** The forms a secret takes when written into a value. */
function encodings(secret: string): string[] {
  const utf8 = Buffer.from(secret, 'utf8');
  return [
    secret,
    JSON.stringify(secret).slice(1, -1),
    // JSON writers that escape every non-ASCII character (\u00eb).
    JSON.stringify(secret)
      .slice(1, -1)
      .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    encodeURIComponent(secret),
    utf8.toString('base64'),
    utf8.toString('base64url'),
  ].filter((encoded) => encoded.length > 0);
}

const MAX_DEPTH = 4;
/** Long enough to be an encoding rather than a word. */
const BASE64_SEGMENT = /[A-Za-z0-9+/_-]{8,}={0,2}/g;
/** Control characters and the replacement character: what bytes that are not UTF-8 text decode to. */
// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const GARBAGE = /[\u0000-\u0008\u000e-\u001f\ufffd]/;

/** The text and everything that decodes from it. */
function views(text: string, depth: number, seen: Set<string>): string[] {
  if (seen.has(text)) return [];
  seen.add(text);
  const result = [text];
  if (depth >= MAX_DEPTH) return result;
  const decoded: string[] = [];
  try {
    const parsed: unknown = JSON.parse(text);
    decoded.push(...stringsIn(parsed));
  } catch {
    // not JSON
  }
  try {
    const unescaped = decodeURIComponent(text);
    if (unescaped !== text) decoded.push(unescaped);
  } catch {
    // not URL-encoded
  }
  for (const [segment] of text.matchAll(BASE64_SEGMENT)) {
    // The segment may start inside a longer encoding: try every alignment.
    for (let shift = 0; shift < 4 && segment.length - shift >= 8; shift++) {
      const part = segment.slice(shift);
      for (const encoding of ['base64', 'base64url'] as const) {
        const inner = Buffer.from(part, encoding).toString('utf8');
        // Misaligned or non-text bytes decode to garbage: only text is looked into further.
        if (inner.length > 0 && !GARBAGE.test(inner)) decoded.push(inner);
      }
    }
  }
  for (const inner of decoded) result.push(...views(inner, depth + 1, seen));
  return result;
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => [key, ...stringsIn(inner)]);
  }
  return [];
}
