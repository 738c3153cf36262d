import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import * as memjs from 'memjs';
import { KeyValueStore } from './key-value-store';
import { checkCount, checkKeyPrefix, checkTtl, checkValue, fullKey } from './store-arguments';
import { StoreError } from './store.error';

export interface MemcachedStoreOptions {
  /** "host:port" of each server ("[::1]:11211" for IPv6); keys are hashed over all of them. */
  servers: string[];
  /** SASL credentials (for example a MemCachier or Memcached Cloud add-on); give both or neither. */
  username?: string;
  password?: string;
  /** Every call fails with StoreError('timeout') after this long instead of hanging (default 1000 ms). */
  timeoutMs?: number;
  /** Put in front of every key, so that several apps or test runs can share servers. */
  keyPrefix?: string;
}

interface Endpoint {
  host: string;
  port: number;
  /** As the operator wrote it, for messages. */
  address: string;
}

const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * The KeyValueStore on real Memcached through memjs. memjs can leave a promise pending forever when a
 * server closes the connection mid-request, logs every failure to the console and reports SASL failures
 * as bare strings: every call here is bounded by our own timeout and every failure becomes a StoreError.
 * memjs reconnects by itself on the next call after a failure, so nothing here remembers a dead server.
 *
 * memjs' own request timeout is the socket's idle timeout, so it never fires while calls keep coming (the
 * periodic sweeps and heartbeats send one every few tens of ms): a stalled connection would stay open for
 * good, every later call queued behind its backlog. When one of our timeouts fires, the connection is dropped
 * instead (Memcached answers in order, so every call behind the late one waits too) and the next call opens
 * a fresh one.
 */
export class MemcachedStore extends KeyValueStore {
  readonly description: string;
  private readonly client: memjs.Client;
  private readonly servers: memjs.Server[];
  private readonly endpoints: Endpoint[];
  private readonly timeoutMs: number;
  private readonly prefix: string;
  /** One key per server, so that a ping exercises every server. */
  private readonly probeKeys: string[];
  private closed = false;

  constructor(options: MemcachedStoreOptions) {
    super();
    if (options.servers.length === 0) throw new StoreError('invalid-argument', 'MemcachedStore needs at least one server.');
    if ((options.username === undefined) !== (options.password === undefined)) {
      throw new StoreError('invalid-argument', 'Memcached SASL needs both a username and a password, or neither.');
    }
    const timeoutMs = options.timeoutMs ?? 1000;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
      throw new StoreError('invalid-argument', `The Memcached timeout must be a whole number of ms above 0 (got ${timeoutMs}).`);
    }
    this.timeoutMs = timeoutMs;
    this.endpoints = options.servers.map(parseEndpoint);
    this.prefix = checkKeyPrefix(options.keyPrefix ?? '');
    this.description = `memcached (${this.endpoints.map((e) => e.address).join(', ')})`;

    // Our deadline drops a dead connection (see dropConnection); memjs' own socket timeouts are only a backstop
    // beyond it, as its way of dropping one has the quirks dropConnection puts right.
    const seconds = (timeoutMs / 1000) * 2;
    const serverOptions = { timeout: seconds, conntimeout: seconds, keepAlive: true };
    this.servers = this.endpoints.map(({ host, port }) => new memjs.Server(host, port, options.username, options.password, serverOptions));
    this.client = new memjs.Client(this.servers, {
      // memjs retries a failed request, which after an ambiguous failure (the request may have been applied)
      // would apply an add or an increment twice: one attempt, and the caller decides.
      retries: 1,
      failover: false,
      logger: { log: () => undefined },
    });
    this.probeKeys = this.findProbeKeys();
  }

  async get(key: string): Promise<string | null> {
    const k = this.key(key);
    const { value } = await this.call('get', k, () => this.client.get(k));
    return value === null ? null : value.toString('utf8');
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    const k = this.key(key);
    checkValue(value);
    checkTtl(ttlSeconds);
    await this.call('set', k, () => this.client.set(k, value, { expires: ttlSeconds }));
  }

  async add(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    const k = this.key(key);
    checkValue(value);
    checkTtl(ttlSeconds);
    return this.call('add', k, () => this.client.add(k, value, { expires: ttlSeconds }));
  }

  async replace(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    const k = this.key(key);
    checkValue(value);
    checkTtl(ttlSeconds);
    return this.call('replace', k, () => this.client.replace(k, value, { expires: ttlSeconds }));
  }

  async increment(key: string, by: number, options: { initial: number; ttlSeconds: number }): Promise<number> {
    const k = this.key(key);
    checkCount(by, options);
    const result = await this.call('increment', k, () =>
      this.client.increment(k, by, { initial: options.initial, expires: options.ttlSeconds }),
    );
    return counterValue(k, result.value);
  }

  async decrement(key: string, by: number, options: { initial: number; ttlSeconds: number }): Promise<number> {
    const k = this.key(key);
    checkCount(by, options);
    // memjs' decrement needs the options object (it throws without one).
    const result = await this.call('decrement', k, () =>
      this.client.decrement(k, by, { initial: options.initial, expires: options.ttlSeconds }),
    );
    return counterValue(k, result.value);
  }

  async delete(key: string): Promise<boolean> {
    const k = this.key(key);
    return this.call('delete', k, () => this.client.delete(k));
  }

  async touch(key: string, ttlSeconds: number): Promise<boolean> {
    const k = this.key(key);
    checkTtl(ttlSeconds);
    return this.call('touch', k, () => this.client.touch(k, ttlSeconds));
  }

  /** A get of one probe key per server (cheap, authenticated, and subject to the same timeout as any call). */
  async ping(): Promise<number> {
    this.checkOpen();
    const started = performance.now();
    await Promise.all(this.probeKeys.map((k) => this.call('ping', k, () => this.client.get(k))));
    return performance.now() - started;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
  }

  private key(key: string): string {
    this.checkOpen();
    return fullKey(this.prefix, key);
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('unavailable', `The ${this.description} store was closed; it accepts no more calls.`);
  }

  private serverFor(key: string): { endpoint: Endpoint; server: memjs.Server } {
    const index = this.endpoints.length > 1 ? Number(this.client.getServer(key)) : 0;
    const endpoint = this.endpoints[index];
    const server = this.servers[index];
    if (!endpoint || !server) throw new StoreError('invalid-argument', `No Memcached server is configured for the key "${key}".`);
    return { endpoint, server };
  }

  private findProbeKeys(): string[] {
    const keys: string[] = [];
    for (let i = 0; keys.filter(Boolean).length < this.endpoints.length && i < 100_000; i++) {
      const candidate = `${this.prefix}ping:${i}`;
      const index = this.endpoints.length > 1 ? Number(this.client.getServer(candidate)) : 0;
      keys[index] ??= candidate;
    }
    return keys.filter(Boolean);
  }

  /** Runs one memjs call under our timeout and maps whatever goes wrong to a StoreError. */
  private call<T>(operation: string, key: string, run: () => Promise<T>): Promise<T> {
    const {
      endpoint: { address },
      server,
    } = this.serverFor(key);
    return new Promise<T>((resolve, reject) => {
      // The connection this call went out on: a late call drops only that one, never a fresh connection
      // opened since (after a blackhole, the swallowed call times out while the new connection serves).
      let sentOn: Socket | undefined;
      const timer = setTimeout(() => {
        reject(new StoreError('timeout', `Memcached at ${address} did not answer a ${operation} within ${this.timeoutMs} ms.`));
        if (sentOn === undefined || (server as unknown as ServerInternals)._socket === sentOn) dropConnection(server);
      }, this.timeoutMs);
      const settle = (outcome: () => void) => {
        clearTimeout(timer);
        outcome();
      };
      try {
        const running = run();
        sentOn = (server as unknown as ServerInternals)._socket;
        running.then(
          (value) => settle(() => resolve(value)),
          (error: unknown) => settle(() => reject(this.toStoreError(error, address, operation, key))),
        );
      } catch (error) {
        settle(() => reject(this.toStoreError(error, address, operation, key)));
      }
    });
  }

  private toStoreError(error: unknown, address: string, operation: string, key: string): StoreError {
    if (error instanceof StoreError) return error;
    const where = `Memcached at ${address}`;
    if (error instanceof ConnectionDropped) {
      return new StoreError(
        'timeout',
        `${where} did not answer a ${operation}: an earlier call on the same connection got no answer within ${this.timeoutMs} ms, so the connection was dropped.`,
      );
    }
    // memjs rejects SASL failures with a bare string, not an Error.
    const text = typeof error === 'string' ? error : error instanceof Error ? error.message : String(error);
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (typeof error === 'string' && /authentication/i.test(text)) {
      return new StoreError('auth', `${where} refused the SASL credentials: check the Memcached username and password.`, {
        cause: error,
      });
    }
    if (code !== undefined && NETWORK_ERRORS.has(code)) {
      const hint = code === 'ECONNREFUSED' ? 'is it running?' : 'check the address and the network.';
      return new StoreError('unavailable', `${where} cannot be reached (${code}): ${hint}`, { cause: error });
    }
    if (/timed out/i.test(text)) {
      return new StoreError('timeout', `${where} did not answer a ${operation} within ${this.timeoutMs} ms.`, { cause: error });
    }
    if (/non-numeric/i.test(text)) {
      return new StoreError('protocol', `The store key "${key}" does not hold a counter, so it cannot be incremented or decremented.`, {
        cause: error,
      });
    }
    if (/^MemJS /.test(text)) {
      return new StoreError('protocol', `${where} refused a ${operation} of "${key}": ${text.replace(/^MemJS \w+: /, '')}.`, {
        cause: error,
      });
    }
    return new StoreError('unavailable', `${where} failed a ${operation} (${text}).`, { cause: error });
  }
}

/** The memjs 1.3.2 internals that dropping a connection has to put right. */
interface ServerInternals {
  _socket?: Socket;
  responseBuffer: Buffer;
}

/**
 * Closes the server's connection after a timeout and fails the other calls waiting on it at once (they are
 * behind the late one). Two memjs quirks are put right first: the old socket's close handler would clear
 * whichever socket the server holds when it fires, by then the fresh one (left open and unused, or never
 * used at all when it connects after that); and a partial answer left in the read buffer would be parsed
 * as the start of the fresh connection's first answer, misreading every answer after it.
 */
function dropConnection(server: memjs.Server): void {
  const internals = server as unknown as ServerInternals;
  internals._socket?.removeAllListeners('close');
  internals.responseBuffer = Buffer.alloc(0);
  server.error(new ConnectionDropped());
}

/** What memjs hands the calls still waiting on a connection we dropped after a timeout. */
class ConnectionDropped extends Error {
  constructor() {
    super('The connection was dropped after a call on it timed out.');
  }
}

function counterValue(key: string, value: number | null | undefined): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new StoreError('protocol', `Memcached returned no counter value for "${key}".`);
  }
  return value;
}

function parseEndpoint(address: string): Endpoint {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(address);
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535) {
    throw new StoreError(
      'invalid-argument',
      `"${address}" is not a Memcached server address: write host:port, for example 127.0.0.1:11211.`,
    );
  }
  return { host: match[1] ?? match[2] ?? '', port, address };
}
