import { connect, createServer, type Socket } from 'node:net';
import { LOOPBACK } from './net';

/**
 * - `pass`: bytes flow both ways at once.
 * - `delay`: every chunk, both ways, waits `delayMs` (order kept): a slow network or an overloaded server.
 * - `blackhole`: connections are accepted and bytes are swallowed, nothing comes back: a hung server, or a
 *   network that drops packets without a reset.
 */
export type TcpProxyMode = 'pass' | 'delay' | 'blackhole';

export interface TcpProxyOptions {
  /** Where connections go: a port on loopback, or host and port. */
  target: number | { host: string; port: number };
  mode?: TcpProxyMode;
  /** The delay of `delay` mode (default 1000 ms). */
  delayMs?: number;
}

export interface TcpProxy {
  readonly port: number;
  /** "127.0.0.1:port", for a client's configuration. */
  readonly address: string;
  readonly mode: TcpProxyMode;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Bytes dropped in blackhole mode so far (both ways). */
  readonly swallowedBytes: number;
  /** Switches every connection, open and future, at once. Swallowed bytes stay swallowed. */
  setMode(mode: TcpProxyMode, delayMs?: number): void;
  /** New connections go there (open ones keep their upstream): a load balancer moving to a healthy backend. */
  retarget(target: number | { host: string; port: number }): void;
  /** Closes every open connection (both sides), as a network reset would. */
  resetConnections(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
}

/** A TCP proxy on a free loopback port, started by a test to put a slow, hung or moving network in front of a server. */
export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  let mode: TcpProxyMode = options.mode ?? 'pass';
  let delayMs = options.delayMs ?? 1000;
  let target = typeof options.target === 'number' ? { host: LOOPBACK, port: options.target } : options.target;
  let connections = 0;
  let swallowedBytes = 0;
  const pairs = new Set<Pair>();

  /** Forwards `from` to `to` according to the mode at the time each chunk arrives; delayed chunks keep their order. */
  const forward = (from: Socket, to: Socket) => {
    let queue = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      if (mode === 'blackhole') {
        swallowedBytes += chunk.length;
        return;
      }
      if (mode === 'pass') {
        queue = queue.then(() => {
          if (!to.destroyed) to.write(chunk);
        });
        return;
      }
      const wait = delayMs;
      queue = queue.then(
        () =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              if (!to.destroyed) to.write(chunk);
              resolve();
            }, wait).unref(),
          ),
      );
    });
  };

  const server = createServer((client) => {
    connections++;
    const upstream = connect(target);
    const pair = { client, upstream };
    pairs.add(pair);
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
    forward(client, upstream);
    forward(upstream, client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('The OS did not report the port it chose.');

  return {
    port: address.port,
    address: `${LOOPBACK}:${address.port}`,
    get mode() {
      return mode;
    },
    get connections() {
      return connections;
    },
    get swallowedBytes() {
      return swallowedBytes;
    },
    setMode(next, nextDelayMs) {
      mode = next;
      if (nextDelayMs !== undefined) delayMs = nextDelayMs;
    },
    retarget(next) {
      target = typeof next === 'number' ? { host: LOOPBACK, port: next } : next;
    },
    resetConnections() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const { client, upstream } of pairs) {
          client.destroy();
          upstream.destroy();
        }
        pairs.clear();
        server.close(() => resolve());
      }),
  };
}
