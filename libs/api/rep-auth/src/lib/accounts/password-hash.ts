import { randomBytes, scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes with node's scrypt, every parameter stored beside the hash so they can be raised later
 * without breaking existing accounts: `scrypt$N$r$p$salt$hash` (salt and hash in base64url).
 *
 * N = 2^15, r = 8, p = 1 takes 32 MiB and ~0.15 s per check on a small machine: costly enough to make
 * guessing slow, cheap enough for interactive sign-in (which is also rate limited).
 */
export const SCRYPT_DEFAULTS = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const FORMAT = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{32,})$/;

export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

export async function hashPassword(password: string, parameters: ScryptParameters = SCRYPT_DEFAULTS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, parameters);
  return `scrypt$${parameters.N}$${parameters.r}$${parameters.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Null when the text is a well-formed hash, else what is wrong with it (for the accounts file's errors). */
export function passwordHashProblem(hash: string): string | null {
  const match = FORMAT.exec(hash);
  if (!match) return 'is not a password hash of the form scrypt$N$r$p$salt$hash (make one with "npm run rep -- passwd <login>")';
  const N = Number(match[1]);
  if (N < 2 || (N & (N - 1)) !== 0) return `has an scrypt N of ${N}, which is not a power of two`;
  return null;
}

/** Constant-time comparison of the derived key; false for a malformed hash. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const match = FORMAT.exec(hash);
  if (!match) return false;
  const [, N, r, p, salt, expected] = match;
  const expectedKey = Buffer.from(expected ?? '', 'base64url');
  const key = await derive(password, Buffer.from(salt ?? '', 'base64url'), expectedKey.length, {
    N: Number(N),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expectedKey.length && timingSafeEqual(key, expectedKey);
}

function derive(password: string, salt: Buffer, length: number, { N, r, p }: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r * p + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}
