import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { freePort, LOOPBACK } from './net';

export const MEMCACHED_NOT_INSTALLED = 'memcached is not installed: run "sudo apt-get install -y memcached sasl2-bin"';
const SASLPASSWD2_NOT_INSTALLED =
  'saslpasswd2 is not installed (memcached SASL needs it): run "sudo apt-get install -y memcached sasl2-bin"';

export interface MemcachedServerOptions {
  /** Listen on this port; without it a free loopback port is picked (and another one tried if it is taken). */
  port?: number;
  /** Start with SASL required (`-S`) and this one user in a throw-away sasldb. */
  sasl?: { username: string; password: string };
  /** Cache memory (`-m`), default 64 MB. */
  memoryMb?: number;
}

export interface MemcachedServer {
  readonly host: string;
  readonly port: number;
  /** "127.0.0.1:port" */
  readonly address: string;
  /** SIGTERM, then resolves once the process has exited (about 0.7 s). Safe to call twice. */
  stop(): Promise<void>;
  /** Stops it (if running) and starts a fresh, empty memcached on the same port; resolves once it accepts connections. */
  restart(): Promise<void>;
}

const START_TIMEOUT_MS = 5000;
const STOP_TIMEOUT_MS = 5000;
const PORT_ATTEMPTS = 5;

/** Starts a foreground memcached on loopback and resolves once it accepts TCP connections. */
export async function startMemcached(options: MemcachedServerOptions = {}): Promise<MemcachedServer> {
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      const running = await launch(port, options);
      return new LocalMemcached(port, options, running);
    } catch (error) {
      // Another process can take a free port between freePort() and memcached's bind: pick another one.
      const retry = error instanceof PortTakenError && options.port === undefined && attempt < PORT_ATTEMPTS;
      if (!retry) throw error;
    }
  }
}

class LocalMemcached implements MemcachedServer {
  readonly host = LOOPBACK;
  private stopping: Promise<void> | undefined;

  constructor(
    readonly port: number,
    private readonly options: MemcachedServerOptions,
    private running: RunningProcess | undefined,
  ) {}

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  stop(): Promise<void> {
    const running = this.running;
    if (!running) return this.stopping ?? Promise.resolve();
    this.running = undefined;
    this.stopping = terminate(running);
    return this.stopping;
  }

  async restart(): Promise<void> {
    await this.stop();
    this.running = await launch(this.port, this.options);
    this.stopping = undefined;
  }
}

interface RunningProcess {
  child: ChildProcess;
  saslDir?: string;
}

class PortTakenError extends Error {}

const live = new Set<RunningProcess>();
let exitHookInstalled = false;

/** A test that forgets stop() (or a worker that crashes) must not leave memcached running behind it. */
function track(running: RunningProcess): void {
  live.add(running);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const { child, saslDir } of live) {
      child.kill('SIGKILL');
      if (saslDir) rmSync(saslDir, { recursive: true, force: true });
    }
  });
}

async function launch(port: number, options: MemcachedServerOptions): Promise<RunningProcess> {
  const args = ['-l', LOOPBACK, '-p', String(port), '-U', '0', '-m', String(options.memoryMb ?? 64)];
  // memcached refuses to run as root unless told which user to become.
  if (process.getuid?.() === 0) args.push('-u', 'root');
  const env = { ...process.env };
  let saslDir: string | undefined;
  if (options.sasl) {
    saslDir = createSaslDirectory(options.sasl);
    args.push('-S');
    env['SASL_CONF_PATH'] = saslDir;
  }

  const child = spawn('memcached', args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  const running: RunningProcess = { child, saslDir };
  let stderr = '';
  let spawnError: NodeJS.ErrnoException | undefined;
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  child.once('error', (error) => (spawnError = error));
  // A forgotten server must not keep the test process alive; the exit hook then kills it.
  child.unref();
  (child.stderr as (Readable & { unref?: () => void }) | null)?.unref?.();
  if (child.pid !== undefined) track(running);

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (spawnError) {
      cleanUp(running);
      throw spawnError.code === 'ENOENT' ? new Error(MEMCACHED_NOT_INSTALLED) : spawnError;
    }
    if (hasExited(child)) {
      cleanUp(running);
      const detail = stderr.trim() || `exit code ${child.exitCode ?? child.signalCode}`;
      if (/address already in use/i.test(stderr)) {
        throw new PortTakenError(`memcached could not listen on ${LOOPBACK}:${port}: the port is taken.`);
      }
      throw new Error(`memcached on ${LOOPBACK}:${port} exited at start-up: ${detail}`);
    }
    // A connection alone proves nothing: whoever holds a taken port accepts it too, while memcached is still
    // finding out it cannot listen. Only memcached answers its binary protocol.
    if ((await answersAsMemcached(port)) && !hasExited(child)) return running;
    if (Date.now() > deadline) {
      await terminate(running);
      throw new Error(`memcached on ${LOOPBACK}:${port} did not accept connections within ${START_TIMEOUT_MS} ms.`);
    }
  }
}

function createSaslDirectory({ username, password }: { username: string; password: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'memcached-sasl-'));
  const database = join(dir, 'sasldb2');
  // memcached's SASL reads <SASL_CONF_PATH>/memcached.conf; PLAIN is what memjs speaks.
  writeFileSync(join(dir, 'memcached.conf'), `mech_list: plain\nsasldb_path: ${database}\n`);
  // Debian installs saslpasswd2 in /usr/sbin, which is not on every user's PATH.
  for (const command of ['saslpasswd2', '/usr/sbin/saslpasswd2']) {
    const result = spawnSync(command, ['-p', '-a', 'memcached', '-c', '-f', database, username], {
      input: password,
      encoding: 'utf8',
    });
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') continue;
    if (result.error || result.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`saslpasswd2 could not create the memcached user "${username}": ${result.stderr || result.error}`);
    }
    return dir;
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(SASLPASSWD2_NOT_INSTALLED);
}

/**
 * Resolves true when the server on the port answers a binary-protocol version request (with SASL required it
 * answers with an authentication error, which is an answer too), false on silence, refusal or anything else.
 */
function answersAsMemcached(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: LOOPBACK });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => {
      const version = Buffer.alloc(24);
      version.writeUInt8(0x80, 0); // request magic
      version.writeUInt8(0x0b, 1); // version
      socket.write(version);
    });
    socket.once('data', (reply: Buffer) => done(reply[0] === 0x81)); // response magic
    socket.once('close', () => done(false));
  });
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function terminate(running: RunningProcess): Promise<void> {
  const { child } = running;
  if (!hasExited(child) && child.pid !== undefined) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(killTimer);
  }
  cleanUp(running);
}

function cleanUp(running: RunningProcess): void {
  live.delete(running);
  if (running.saslDir) rmSync(running.saslDir, { recursive: true, force: true });
}
