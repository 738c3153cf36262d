import { hashPassword, passwordHashProblem, verifyPassword } from './password-hash';

const FAST = { N: 1024, r: 8, p: 1 };

describe('password hashes', () => {
  it('should store every scrypt parameter and a per-hash salt', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse'), hashPassword('correct horse')]);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toEqual(b);
    expect(passwordHashProblem(a)).toBeNull();
  });

  it('should verify the right password and refuse a wrong one, with the parameters of the hash', async () => {
    const hash = await hashPassword('correct horse', FAST);
    await expect(verifyPassword('correct horse', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horse ', hash)).resolves.toBe(false);
    await expect(verifyPassword('', hash)).resolves.toBe(false);
  });

  it('should refuse malformed hashes and say why', async () => {
    await expect(verifyPassword('x', 'plain-text')).resolves.toBe(false);
    expect(passwordHashProblem('plain-text')).toMatch(/npm run rep -- passwd/);
    expect(passwordHashProblem(`scrypt$1000$8$1$${'a'.repeat(22)}$${'b'.repeat(43)}`)).toMatch(/not a power of two/);
  });
});
