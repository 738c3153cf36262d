import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const API_MAIN = join(__dirname, '../../../dist/apps/api/main.js');

export interface ApiServer {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM and wait for the exit; returns the exit code. */
  stop(): Promise<number | null>;
  readonly process: ChildProcess;
}

const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/**
 * Starts the built API (dist/apps/api/main.js) as a real process on an ephemeral loopback port and
 * resolves once its banner says where it listens. Extra environment replaces the defaults.
 */
export async function startApiServer(env: Record<string, string> = {}, timeoutMs = 20_000): Promise<ApiServer> {
  if (!existsSync(API_MAIN)) {
    throw new Error(`${API_MAIN} is missing: build first with "npx nx run-many -t build -p api customer rep embed" (npm test does).`);
  }
  const child = spawn(process.execPath, [API_MAIN], {
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      // No load balancer is in front of these: stop at once unless a test asks for the delay.
      SHUTDOWN_DELAY_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );

  const port = await new Promise<number>((resolve, reject) => {
    // A process that never says where it listens is killed, not left running (and holding the test process open).
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const onData = () => {
      const match = /customer\s+http:\/\/[^:]+:(\d+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      const why = timedOut ? `did not start within ${timeoutMs} ms` : `exited with code ${code} before listening`;
      reject(new Error(`The API ${why}:\n${output}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    output: () => output,
    process: child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
