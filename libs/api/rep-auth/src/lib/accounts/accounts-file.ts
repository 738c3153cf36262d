import { REP_NAME_MAX, RepRole } from '@servicekit/contracts';
import { passwordHashProblem } from './password-hash';

/** One personal account of REP_ACCOUNTS_FILE. */
export interface RepAccount {
  /** Lower case; what the rep types to sign in. */
  login: string;
  /** Shown to customers and supervisors. */
  name: string;
  roles: RepRole[];
  /** `scrypt$N$r$p$salt$hash` (password-hash.ts). */
  password: string;
}

export const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,63}$/;
const ROLES: readonly RepRole[] = ['rep', 'supervisor'];

/** The accounts file is not usable; `problems` say where and what, one sentence each. */
export class AccountsFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`The accounts file ${file} cannot be used:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AccountsFileError';
  }
}

/**
 * The accounts file is JSON: `{"accounts": [{"login", "name", "roles", "password"}]}` (docs/identity.md).
 * JSON rather than YAML because the `rep` command rewrites it, and a rewrite would drop YAML's comments.
 */
export function parseAccountsFile(text: string, file: string): RepAccount[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new AccountsFileError(file, [`it is not valid JSON (${(error as Error).message})`]);
  }
  const list = (data as { accounts?: unknown } | null)?.accounts;
  if (typeof data !== 'object' || data === null || !Array.isArray(list)) {
    throw new AccountsFileError(file, ['it must be a JSON object with a list of "accounts"']);
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  const accounts: RepAccount[] = [];
  list.forEach((entry: unknown, i) => {
    const account = entry as Partial<Record<keyof RepAccount, unknown>> | null;
    const where = `account ${i + 1}${typeof account?.login === 'string' ? ` ("${account.login}")` : ''}`;
    const before = problems.length;
    if (typeof account !== 'object' || account === null) {
      problems.push(`${where} must be an object with login, name, roles and password`);
      return;
    }
    const { login, name, roles, password } = account;
    if (typeof login !== 'string' || !LOGIN_PATTERN.test(login)) {
      problems.push(`${where}: the login must be 1 to 64 lower-case letters, digits or "._@-", starting with a letter or digit`);
    } else if (seen.has(login)) {
      problems.push(`${where}: the login "${login}" appears more than once`);
    }
    if (typeof name !== 'string' || name.trim().length === 0 || [...name.trim()].length > REP_NAME_MAX) {
      problems.push(`${where}: the name must be 1 to ${REP_NAME_MAX} characters`);
    }
    if (!Array.isArray(roles) || roles.length === 0 || !roles.every((role) => ROLES.includes(role as RepRole))) {
      problems.push(`${where}: roles must be a non-empty list of "rep" and "supervisor"`);
    }
    const hashProblem = typeof password === 'string' ? passwordHashProblem(password) : 'is missing';
    if (hashProblem) problems.push(`${where}: the password ${hashProblem}`);
    if (problems.length > before) return;
    seen.add(login as string);
    accounts.push({
      login: login as string,
      name: (name as string).trim(),
      roles: [...new Set(roles as RepRole[])],
      password: password as string,
    });
  });
  if (problems.length > 0) throw new AccountsFileError(file, problems);
  return accounts;
}

export function serializeAccountsFile(accounts: readonly RepAccount[]): string {
  const sorted = [...accounts].sort((a, b) => a.login.localeCompare(b.login));
  return `${JSON.stringify({ accounts: sorted }, null, 2)}\n`;
}
