import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Readable } from 'node:stream';
import { canConnect, freePort, LOOPBACK } from './net';

export const HAPROXY_NOT_INSTALLED = 'haproxy is not installed: run "sudo apt-get install -y haproxy"';

export interface HaproxyOptions {
  /** The configuration to run, e.g. deploy/haproxy/haproxy.cfg. */
  configFile: string;
  /** Environment the configuration reads, e.g. the backend addresses. */
  env?: Record<string, string>;
  /** The variable the configuration binds its frontend to; the helper sets it to 127.0.0.1:<free port>. */
  bindVariable?: string;
}

/** One line of the runtime API's `show stat`, for a server of a backend. */
export interface HaproxyServerStat {
  /** UP, DOWN, MAINT, "UP 1/2" (going down), "DOWN 1/2" (coming up)… */
  status: string;
  /** Connections retried on this server, and requests redispatched away from it. */
  retries: number;
  redispatches: number;
  /** Sessions sent to this server so far. */
  sessions: number;
}

export interface HaproxyServer {
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** Everything HAProxy printed (its log goes to stdout). */
  output(): string;
  /** One command on the runtime API (a stats socket the helper adds), e.g. "show servers state". */
  command(command: string): Promise<string>;
  /** The servers of a backend by name, from `show stat`. */
  servers(backend: string): Promise<Record<string, HaproxyServerStat>>;
  /** SIGTERM, then resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/** Debian installs it in /usr/sbin, which is not on every user's PATH. */
function haproxyBinary(): string {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin'];
  return dirs.map((dir) => join(dir, 'haproxy')).find((path) => existsSync(path)) ?? 'haproxy';
}

const START_TIMEOUT_MS = 5000;
const PORT_ATTEMPTS = 5;

const live = new Set<ChildProcess>();
process.once('exit', () => live.forEach((child) => child.kill('SIGKILL')));

/**
 * Starts Debian's HAProxy in the foreground (`haproxy -db -f <config>`) on a free loopback port, with a
 * runtime API socket added in a throw-away directory, and resolves once the frontend accepts connections.
 */
export async function startHaproxy(options: HaproxyOptions): Promise<HaproxyServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(await freePort(), options);
    } catch (error) {
      // Another process can take the free port before HAProxy binds it: pick another one.
      if (!(error instanceof PortTakenError) || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function launch(port: number, options: HaproxyOptions): Promise<HaproxyServer> {
  const dir = mkdtempSync(join(tmpdir(), 'haproxy-'));
  const socket = join(dir, 'admin.sock');
  const runtime = join(dir, 'runtime.cfg');
  // A second global section adds to the first: the configuration under test stays as shipped.
  writeFileSync(runtime, `global\n  stats socket ${socket} mode 600 level admin\n`);
  const env = { PATH: process.env['PATH'] ?? '', ...options.env, [options.bindVariable ?? 'HAPROXY_BIND']: `${LOOPBACK}:${port}` };
  const child = spawn(haproxyBinary(), ['-db', '-f', options.configFile, '-f', runtime], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let spawnError: NodeJS.ErrnoException | undefined;
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.once('error', (error) => (spawnError = error));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as (Readable & { unref?: () => void }) | null)?.unref?.();
  live.add(child);
  const cleanUp = () => {
    live.delete(child);
    rmSync(dir, { recursive: true, force: true });
  };
  void exited.then(cleanUp);

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (spawnError) {
      cleanUp();
      throw spawnError.code === 'ENOENT' ? new Error(HAPROXY_NOT_INSTALLED) : spawnError;
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      if (/address already in use|cannot bind socket/i.test(output)) throw new PortTakenError(output);
      throw new Error(`haproxy exited at start-up:\n${output}`);
    }
    if (existsSync(socket) && (await canConnect(port))) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`haproxy did not accept connections on ${LOOPBACK}:${port} within ${START_TIMEOUT_MS} ms:\n${output}`);
    }
  }

  const command = (text: string) => ask(socket, text);
  return {
    port,
    url: `http://${LOOPBACK}:${port}`,
    output: () => output,
    command,
    servers: async (backend) => parseServerStats(await command('show stat'), backend),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Sends one command to the runtime API and resolves with the whole answer (HAProxy closes after it). */
function ask(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let answer = '';
    socket.setEncoding('utf8');
    socket.setTimeout(2000, () => socket.destroy(new Error(`haproxy did not answer "${command}"`)));
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.once('error', reject);
    socket.once('end', () => resolve(answer));
    socket.write(`${command}\n`);
  });
}

function parseServerStats(csv: string, backend: string): Record<string, HaproxyServerStat> {
  const [header, ...rows] = csv.trim().split('\n');
  const fields = (header ?? '').replace(/^# /, '').split(',');
  const column = (name: string) => fields.indexOf(name);
  const servers: Record<string, HaproxyServerStat> = {};
  for (const row of rows) {
    const values = row.split(',');
    const [proxy, server] = values;
    if (proxy !== backend || !server || server === 'BACKEND' || server === 'FRONTEND') continue;
    servers[server] = {
      status: values[column('status')] ?? '',
      retries: Number(values[column('wretr')] ?? 0),
      redispatches: Number(values[column('wredis')] ?? 0),
      sessions: Number(values[column('stot')] ?? 0),
    };
  }
  return servers;
}
