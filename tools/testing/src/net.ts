import { connect, createServer, type Socket } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** A loopback port that was free a moment ago (the OS picks it; another process may still take it first). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('The OS did not report the port it chose.'));
      });
    });
  });
}

/** Resolves true when a TCP connection to host:port opens (it is closed at once), false when it is refused. */
export function canConnect(port: number, host = LOOPBACK, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface UnresponsiveServer {
  readonly port: number;
  /** "127.0.0.1:port" */
  readonly address: string;
  /** How many connections it has accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** A TCP server on a free loopback port that accepts connections and never answers: a hung backend. */
export function startUnresponsiveServer(): Promise<UnresponsiveServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      if (!address || typeof address !== 'object') {
        reject(new Error('The OS did not report the port it chose.'));
        return;
      }
      resolve({
        port: address.port,
        address: `${LOOPBACK}:${address.port}`,
        get connections() {
          return connections;
        },
        close: () =>
          new Promise<void>((resolveClose) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => resolveClose());
          }),
      });
    });
  });
}
