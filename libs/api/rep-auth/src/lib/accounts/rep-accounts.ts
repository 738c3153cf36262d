import { readFileSync, statSync } from 'node:fs';
import { stat, readFile } from 'node:fs/promises';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigurationError, ServiceKitConfig } from '@servicekit/api/config';
import { AccountsFileError, parseAccountsFile, RepAccount } from './accounts-file';
import { hashPassword, verifyPassword } from './password-hash';

/** How often the file is checked for changes (its modification time and size). */
export const ACCOUNTS_RELOAD_MS = 5000;

/**
 * The personal accounts of REP_ACCOUNTS_FILE. Read and validated at start (a bad file stops the start with a
 * message naming the problem), then re-read whenever it changes (checked every 5 s): an account added,
 * changed or removed takes effect without a restart; sessions of a removed account are refused from then on.
 * A file that becomes invalid is reported and ignored: the accounts read last stay in force.
 */
@Injectable()
export class RepAccounts implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RepAccounts.name);
  private readonly file: string | null;
  private accounts = new Map<string, RepAccount>();
  private version = '';
  private timer: NodeJS.Timeout | null = null;
  /** Compared against when the login is unknown, so that an unknown login costs what a wrong password costs. */
  private readonly dummy = hashPassword('not a password of anybody');

  constructor(config: ServiceKitConfig) {
    this.file = config.repAccountsFile;
    if (this.file === null) return;
    try {
      this.version = versionOf(statSync(this.file));
      this.use(parseAccountsFile(readFileSync(this.file, 'utf8'), this.file));
    } catch (error) {
      throw new ConfigurationError([`REP_ACCOUNTS_FILE: ${describe(error, this.file)}`]);
    }
  }

  get enabled(): boolean {
    return this.file !== null;
  }

  onModuleInit(): void {
    if (this.file === null) return;
    this.timer = setInterval(() => void this.reload(), ACCOUNTS_RELOAD_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The account when login and password match; null otherwise, in the same time either way. */
  async verify(login: string, password: string): Promise<RepAccount | null> {
    const account = this.accounts.get(login.trim().toLowerCase());
    const matches = await verifyPassword(password, account?.password ?? (await this.dummy));
    return account && matches ? account : null;
  }

  /** The account as the file says now (null once removed). */
  find(login: string): RepAccount | null {
    return this.accounts.get(login) ?? null;
  }

  /** Re-reads the file if it changed since the last read. */
  async reload(): Promise<void> {
    if (this.file === null) return;
    try {
      const version = versionOf(await stat(this.file));
      if (version === this.version) return;
      this.version = version;
      const accounts = parseAccountsFile(await readFile(this.file, 'utf8'), this.file);
      this.use(accounts);
      this.logger.log(`Read ${accounts.length} rep account(s) from ${this.file}.`);
    } catch (error) {
      this.logger.error(
        `The accounts file changed but cannot be used; the accounts read before stay in force. ${describe(error, this.file)}`,
      );
    }
  }

  private use(accounts: RepAccount[]): void {
    this.accounts = new Map(accounts.map((account) => [account.login, account]));
  }
}

function versionOf(stats: { mtimeMs: number; size: number }): string {
  return `${stats.mtimeMs}:${stats.size}`;
}

function describe(error: unknown, file: string): string {
  if (error instanceof AccountsFileError) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `the accounts file ${file} does not exist (create it with "npm run rep -- add <login> --name <name>")`;
  if (code === 'EACCES') return `the accounts file ${file} cannot be read by this process (check its permissions)`;
  return `the accounts file ${file} cannot be read: ${(error as Error).message}`;
}
