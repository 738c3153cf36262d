import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { freePort, LOOPBACK } from './net';

export const COTURN_NOT_INSTALLED = 'coturn is not installed: run "sudo apt-get install -y coturn"';

export interface CoturnOptions {
  /** coturn's `static-auth-secret` (use-auth-secret); a random one when not given. */
  secret?: string;
  realm?: string;
  /** Relay ports: a narrow range starting at a free port; this many of them (default 40). */
  relayPorts?: number;
}

export interface CoturnServer {
  /** The STUN/TURN listening port on 127.0.0.1 (UDP and TCP). */
  readonly port: number;
  readonly realm: string;
  /** The secret coturn checks credentials with now. */
  readonly secret: string;
  /** stun:127.0.0.1:PORT */
  readonly stunUrl: string;
  /** turn:127.0.0.1:PORT?transport=udp */
  readonly turnUrl: string;
  /** Everything coturn printed (its log goes to stdout). */
  output(): string;
  /** The same server on the same port with another secret: every credential made with the old one is refused. */
  restart(secret?: string): Promise<void>;
  /** SIGTERM, then resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;
const PORT_ATTEMPTS = 5;
const live = new Set<ChildProcess>();
process.once('exit', () => live.forEach((child) => child.kill('SIGKILL')));

/**
 * Debian's coturn (`turnserver`) in the foreground on free loopback ports, for tests: short-lived credentials
 * (`use-auth-secret`), plain UDP/TCP only, and `allow-loopback-peers` — which only a test may have, since both
 * relay addresses are on loopback here (deploy/coturn/turnserver.conf never allows it). Resolves once it
 * answers a STUN binding request.
 */
export async function startCoturn(options: CoturnOptions = {}): Promise<CoturnServer> {
  const dir = mkdtempSync(join(tmpdir(), 'coturn-'));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const relay = await freePort();
    try {
      const server = new LocalCoturn(dir, port, relay, options);
      await server.restart(options.secret ?? randomBytes(24).toString('base64'));
      return server;
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= PORT_ATTEMPTS) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

class PortTakenError extends Error {}

class LocalCoturn implements CoturnServer {
  readonly realm: string;
  readonly stunUrl: string;
  readonly turnUrl: string;
  secret = '';
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private log = '';

  constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly relay: number,
    private readonly options: CoturnOptions,
  ) {
    this.realm = options.realm ?? 'servicekit.test';
    this.stunUrl = `stun:${LOOPBACK}:${port}`;
    this.turnUrl = `turn:${LOOPBACK}:${port}?transport=udp`;
  }

  output(): string {
    return this.log;
  }

  async restart(secret: string = randomBytes(24).toString('base64')): Promise<void> {
    await this.halt();
    this.secret = secret;
    const config = join(this.dir, 'turnserver.conf');
    writeFileSync(
      config,
      [
        `listening-ip=${LOOPBACK}`,
        `relay-ip=${LOOPBACK}`,
        `listening-port=${this.port}`,
        `min-port=${this.relay}`,
        `max-port=${this.relay + (this.options.relayPorts ?? 40)}`,
        'use-auth-secret',
        `static-auth-secret=${secret}`,
        `realm=${this.realm}`,
        'fingerprint',
        'no-tls',
        'no-dtls',
        'no-cli',
        'log-file=stdout',
        'simple-log',
        // Test only: the two relay addresses are both on loopback.
        'allow-loopback-peers',
        `pidfile=${join(this.dir, 'turnserver.pid')}`,
        `userdb=${join(this.dir, 'turnserver.sqlite')}`,
        '',
      ].join('\n'),
    );
    const child = spawn('turnserver', ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let spawnError: NodeJS.ErrnoException | undefined;
    child.once('error', (error) => (spawnError = error));
    child.stdout?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    this.exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.unref();
    for (const stream of [child.stdout, child.stderr]) (stream as (Readable & { unref?: () => void }) | null)?.unref?.();
    live.add(child);
    void this.exited.then(() => live.delete(child));
    this.child = child;

    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (spawnError) throw spawnError.code === 'ENOENT' ? new Error(COTURN_NOT_INSTALLED) : spawnError;
      if (child.exitCode !== null || child.signalCode !== null) {
        if (/address already in use|cannot bind/i.test(this.log)) throw new PortTakenError(this.log);
        throw new Error(`coturn exited at start-up:\n${this.log}`);
      }
      if (await bindingSucceeds(this.port)) return;
      if (Date.now() > deadline) {
        await this.halt();
        throw new Error(`coturn did not answer STUN on ${LOOPBACK}:${this.port} within ${START_TIMEOUT_MS} ms:\n${this.log}`);
      }
    }
  }

  async stop(): Promise<void> {
    await this.halt();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async halt(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      // Unref'd so a forgotten relay never keeps a run alive; ref'd again here so the wait for its exit does.
      child.ref();
      child.kill('SIGTERM');
    }
    await this.exited;
  }
}

/** One STUN binding request (RFC 8489) to 127.0.0.1:port; true when a success response comes back in time. */
export function bindingSucceeds(port: number, timeoutMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const transaction = randomBytes(12);
    const request = Buffer.alloc(20);
    request.writeUInt16BE(0x0001, 0);
    request.writeUInt32BE(0x2112a442, 4);
    transaction.copy(request, 8);
    const done = (result: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('message', (message: Buffer) => {
      if (message.length >= 20 && message.subarray(8, 20).equals(transaction)) done(message.readUInt16BE(0) === 0x0101);
    });
    socket.on('error', () => done(false));
    socket.send(request, port, LOOPBACK);
  });
}
