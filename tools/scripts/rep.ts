/**
 * `npm run rep -- <command>`: the personal accounts of REP_ACCOUNTS_FILE (docs/identity.md).
 *
 *   add <login> --name "<display name>" [--role rep|supervisor]…   asks for the password
 *   passwd <login>                                                 asks for the new password
 *   remove <login>
 *   list
 *
 * The file is `--file <path>`, else REP_ACCOUNTS_FILE. Passwords are read from the terminal without echo
 * (typed twice), or as the first line of standard input when it is not a terminal (scripts, tests).
 * A running API picks the changes up within a few seconds.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  AccountsFileError,
  hashPassword,
  LOGIN_PATTERN,
  parseAccountsFile,
  type RepAccount,
  type RepRole,
  serializeAccountsFile,
} from '@servicekit/api/rep-auth';

const USAGE = `Usage: npm run rep -- <command> [--file <accounts.json>]
  add <login> --name "<display name>" [--role rep|supervisor]…   (asks for the password)
  passwd <login>                                                 (asks for the new password)
  remove <login>
  list
The accounts file is --file, else REP_ACCOUNTS_FILE.`;
const MIN_PASSWORD = 10;

class UsageError extends Error {}

interface Arguments {
  command: string;
  login?: string;
  name?: string;
  roles: RepRole[];
  file?: string;
}

function parseArguments(argv: string[]): Arguments {
  const args: Arguments = { command: argv[0] ?? '', roles: [] };
  const rest = argv.slice(1);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const value = () => {
      const next = rest[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value.`);
      return next;
    };
    if (arg === '--name') args.name = value().trim();
    else if (arg === '--file') args.file = value();
    else if (arg === '--role') {
      for (const role of value().split(',')) {
        if (role !== 'rep' && role !== 'supervisor') throw new UsageError(`The role "${role}" is not rep or supervisor.`);
        args.roles.push(role);
      }
    } else if (arg.startsWith('--')) throw new UsageError(`Unknown option ${arg}.`);
    else if (args.login === undefined) args.login = arg.trim().toLowerCase();
    else throw new UsageError(`Unexpected argument "${arg}".`);
  }
  return args;
}

function readAccounts(file: string): RepAccount[] {
  return existsSync(file) ? parseAccountsFile(readFileSync(file, 'utf8'), file) : [];
}

/** Written to a temporary file and renamed over the old one, so a running API never reads half a file. */
function writeAccounts(file: string, accounts: RepAccount[]): void {
  const temporary = join(dirname(file), `.${Date.now()}.accounts.tmp`);
  writeFileSync(temporary, serializeAccountsFile(accounts), { mode: 0o600 });
  renameSync(temporary, file);
}

async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return firstLineOfStdin();
  const first = await readHidden(prompt);
  const second = await readHidden('Type it again: ');
  if (first !== second) throw new UsageError('The two passwords differ. Nothing was changed.');
  return first;
}

let stdinLines: Promise<string[]> | null = null;
async function firstLineOfStdin(): Promise<string> {
  stdinLines ??= new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => (text += chunk));
    process.stdin.on('end', () => resolve(text.split(/\r?\n/)));
    process.stdin.on('error', reject);
  });
  return (await stdinLines)[0] ?? '';
}

/** Raw mode: every key arrives as typed and nothing is echoed; Enter ends, Backspace erases, Ctrl-C stops. */
function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    // Echo off before the prompt shows: what is typed as soon as it appears must not echo either.
    stdin.setRawMode(true);
    process.stderr.write(prompt);
    stdin.resume();
    stdin.setEncoding('utf8');
    let typed = '';
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new UsageError('Stopped. Nothing was changed.'));
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else if (char >= ' ') typed += char;
      }
    };
    stdin.on('data', onData);
  });
}

async function newPasswordHash(prompt: string): Promise<string> {
  const password = await readPassword(prompt);
  if ([...password].length < MIN_PASSWORD) throw new UsageError(`The password must be at least ${MIN_PASSWORD} characters long.`);
  return hashPassword(password);
}

function requireLogin(args: Arguments): string {
  if (!args.login) throw new UsageError(`"${args.command}" needs a login.`);
  if (!LOGIN_PATTERN.test(args.login)) {
    throw new UsageError('A login is 1 to 64 lower-case letters, digits or "._@-", starting with a letter or digit.');
  }
  return args.login;
}

async function main(argv: string[]): Promise<string> {
  const args = parseArguments(argv);
  // A command-line tool, not the API: it takes the same variable the API reads for the file's location.
  const file = args.file ?? process.env['REP_ACCOUNTS_FILE'];
  if (!['add', 'passwd', 'remove', 'list'].includes(args.command)) throw new UsageError(USAGE);
  if (!file) throw new UsageError('Say which accounts file: --file <path>, or set REP_ACCOUNTS_FILE.');
  const accounts = readAccounts(file);
  const find = (login: string) => accounts.find((account) => account.login === login);

  switch (args.command) {
    case 'list':
      if (accounts.length === 0) return `No accounts in ${file}.`;
      return accounts.map((a) => `${a.login.padEnd(16)} ${a.name.padEnd(24)} ${a.roles.join(',')}`).join('\n');
    case 'add': {
      const login = requireLogin(args);
      if (find(login)) throw new UsageError(`There is already an account "${login}". Use "passwd" to change its password.`);
      if (!args.name) throw new UsageError('Give the display name customers will see: --name "Ada L."');
      const roles: RepRole[] = args.roles.length > 0 ? [...new Set(args.roles)] : ['rep'];
      const password = await newPasswordHash(`Password for ${login}: `);
      writeAccounts(file, [...accounts, { login, name: args.name, roles, password }]);
      return `Added ${login} (${args.name}, ${roles.join(', ')}) to ${file}.`;
    }
    case 'passwd': {
      const login = requireLogin(args);
      const account = find(login);
      if (!account) throw new UsageError(`There is no account "${login}" in ${file}.`);
      account.password = await newPasswordHash(`New password for ${login}: `);
      writeAccounts(file, accounts);
      return `Changed the password of ${login}.`;
    }
    default: {
      const login = requireLogin(args);
      if (!find(login)) throw new UsageError(`There is no account "${login}" in ${file}.`);
      writeAccounts(
        file,
        accounts.filter((account) => account.login !== login),
      );
      return `Removed ${login}. Their sessions are refused as soon as the API has read the file (a few seconds).`;
    }
  }
}

main(process.argv.slice(2)).then(
  (message) => {
    process.stdout.write(`${message}\n`);
  },
  (error: unknown) => {
    const known = error instanceof UsageError || error instanceof AccountsFileError;
    process.stderr.write(`${known ? (error as Error).message : String(error)}\n`);
    process.exitCode = known && error instanceof UsageError ? 2 : 1;
  },
);
