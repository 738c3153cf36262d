import { ChildProcess, execFile, spawn } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@servicekit/tools/testing';

const ROOT = join(__dirname, '../../../..');

/** A throw-away folder for an accounts file. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sk-identity-'));
}

/**
 * Runs `npm run rep -- <args>` as an operator would, the password (if any) on standard input, which is not a
 * terminal here. Resolves with the exit code and what it printed.
 */
export function repCommand(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'npm',
      ['run', '-s', 'rep', '--', ...args],
      { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as NodeJS.ErrnoException & { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

export interface TestUser {
  name: string;
  groups: string[];
}

export interface OidcProviderProcess {
  readonly issuer: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** The real oidc-provider (ESM-only) in a child process on a free loopback port, with these users and one client. */
export async function startOidcProvider(options: {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  users: Record<string, TestUser>;
}): Promise<OidcProviderProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidc-provider.mjs'), String(port), JSON.stringify(options)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`oidc-provider did not start:\n${output}`)), 15_000);
    child.stdout?.on('data', () => {
      if (output.includes('listening ')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`oidc-provider exited:\n${output}`));
    });
  });
  return {
    issuer: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The session cookie of a sign-in answer, as a Cookie header value. */
export function sessionCookie(headers: Headers): string {
  const cookie = (headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (!cookie.startsWith('__Host-sk_rep=')) throw new Error(`No session cookie in "${headers.get('set-cookie')}"`);
  return cookie;
}

/** The serious and critical accessibility problems axe-core finds on the page as it is now, one line each. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
}
