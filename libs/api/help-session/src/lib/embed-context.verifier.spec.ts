import { createHmac } from 'node:crypto';
import { loadServiceKitConfig } from '@servicekit/api/config';
import { EmbedContextVerifier } from './embed-context.verifier';

const SECRET = 'embed-context-secret-0123456789abcdef';
const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0);
const NOW = NOW_MS / 1000;

function sign(claims: Record<string, unknown>, { secret = SECRET, alg = 'HS256' }: { secret?: string; alg?: string } = {}): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg, typ: 'JWT' })}.${encode(claims)}`;
  if (alg === 'none') return `${unsigned}.`;
  const hash = alg === 'HS512' ? 'sha512' : 'sha256';
  return `${unsigned}.${createHmac(hash, secret).update(unsigned).digest('base64url')}`;
}

/** The same token with its claims swapped for a forger's, the signature left as it was. */
function tampered(token: string): string {
  const [header, , signature] = token.split('.');
  const claims = Buffer.from(JSON.stringify({ name: 'Mallory', exp: NOW + 60 })).toString('base64url');
  return `${header}.${claims}.${signature}`;
}

describe('EmbedContextVerifier', () => {
  const verifier = new EmbedContextVerifier(
    loadServiceKitConfig({ EMBED_ORIGINS: 'https://shop.example', EMBED_CONTEXT_SECRET: SECRET, TOKEN_SECRET: 't'.repeat(32) }),
  );
  const check = (token: string) => verifier.check(token, NOW_MS);

  it('should accept a name and a reference signed with the secret, expiring within 10 minutes', () => {
    expect(check(sign({ name: ' Ada Lovelace ', reference: ' Order 4711 ', exp: NOW + 600 }))).toEqual({
      valid: true,
      context: { customerName: 'Ada Lovelace', reference: 'Order 4711' },
    });
    expect(check(sign({ name: 'Ada', exp: NOW + 60 }))).toEqual({ valid: true, context: { customerName: 'Ada', reference: null } });
    expect(check(sign({ name: 'Ada', reference: '  ', exp: NOW + 60 }))).toMatchObject({ valid: true, context: { reference: null } });
  });

  it.each([
    ['expired', sign({ name: 'Ada', exp: NOW - 1 }), 'has expired'],
    ['too far ahead', sign({ name: 'Ada', exp: NOW + 3600 }), 'more than 10 minutes ahead'],
    ['without exp', sign({ name: 'Ada' }), 'has no expiry'],
    [
      'signed with another secret',
      sign({ name: 'Ada', exp: NOW + 60 }, { secret: 'someone-else-s-secret-0123456789ab' }),
      'not signed with',
    ],
    ['alg none', sign({ name: 'Ada', exp: NOW + 60 }, { alg: 'none' }), 'not signed with'],
    ['another algorithm', sign({ name: 'Ada', exp: NOW + 60 }, { alg: 'HS512' }), 'not signed with'],
    ['tampered with (another name under the original signature)', tampered(sign({ name: 'Ada', exp: NOW + 60 })), 'not signed with'],
    ['not a JWT', 'hello', 'not a well-formed JWT'],
    ['longer than 4096 characters', sign({ name: 'Ada', padding: 'p'.repeat(4000), exp: NOW + 60 }), 'longer than 4096 characters'],
    ['without a name', sign({ reference: 'x', exp: NOW + 60 }), 'has no name'],
    ['with a blank name', sign({ name: '   ', exp: NOW + 60 }), 'has no name'],
    ['with a name over 50 characters', sign({ name: 'a'.repeat(51), exp: NOW + 60 }), 'longer than 50 characters'],
    ['with a reference over 100 characters', sign({ name: 'Ada', reference: 'r'.repeat(101), exp: NOW + 60 }), 'longer than 100'],
    ['with a reference that is not text', sign({ name: 'Ada', reference: 4711, exp: NOW + 60 }), 'must be text'],
    ['not valid yet', sign({ name: 'Ada', exp: NOW + 60, nbf: NOW + 30 }), 'not valid yet'],
  ])('should refuse a token %s, saying why', (_label, token, message) => {
    const result = check(token);
    expect(result.valid).toBe(false);
    expect(result.valid === false && result.message).toContain(message);
  });

  it('should count characters as people do: 100 emoji are a valid reference', () => {
    expect(check(sign({ name: 'Zoë', reference: '😀'.repeat(100), exp: NOW + 60 }))).toMatchObject({ valid: true });
  });

  it('should accept nothing when no secret is configured', () => {
    const off = new EmbedContextVerifier(loadServiceKitConfig({}));
    expect(off.enabled).toBe(false);
    expect(off.check(sign({ name: 'Ada', exp: NOW + 60 }), NOW_MS)).toMatchObject({
      valid: false,
      message: expect.stringContaining('EMBED_CONTEXT_SECRET'),
    });
  });
});
