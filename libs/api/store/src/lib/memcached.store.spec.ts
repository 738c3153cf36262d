import { createServer, type Server, type Socket } from 'node:net';
import { freePort, startMemcached, startTcpProxy, startUnresponsiveServer, waitFor, type MemcachedServer } from '@servicekit/tools/testing';
import { describeKeyValueStoreContract } from '../testing';
import { MemcachedStore } from './memcached.store';
import { StoreError } from './store.error';

/** "Did not hang": generous, never a performance assertion. */
const hangBound = (timeoutMs: number) => timeoutMs * 3;

async function failureOf(call: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - started };
}

let server: MemcachedServer;

beforeAll(async () => {
  server = await startMemcached();
});

afterAll(async () => {
  await server?.stop();
});

describeKeyValueStoreContract('MemcachedStore', (keyPrefix) => ({
  store: new MemcachedStore({ servers: [server.address], keyPrefix }),
}));

describe('MemcachedStore', () => {
  const timeoutMs = 500;

  it('should name its servers in its description', () => {
    const store = new MemcachedStore({ servers: ['127.0.0.1:11211', 'cache.internal:11212'] });

    expect(store.description).toBe('memcached (127.0.0.1:11211, cache.internal:11212)');
  });

  it('should refuse a server address without a port when built', () => {
    expect(() => new MemcachedStore({ servers: ['127.0.0.1:notaport'] })).toThrow(/127\.0\.0\.1:notaport/);
  });

  it('should fail fast with StoreError unavailable, not hang, when no server listens', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const store = new MemcachedStore({ servers: [address], timeoutMs });

    const { error, ms } = await failureOf(store.get('k'));

    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ reason: 'unavailable', message: expect.stringContaining(`Memcached at ${address}`) });
    expect(ms).toBeLessThan(hangBound(timeoutMs));
    await expect(store.ping()).rejects.toMatchObject({ reason: 'unavailable' });
    await store.close();
  });

  it('should fail with StoreError timeout against a server that accepts but never answers', async () => {
    const hung = await startUnresponsiveServer();
    const store = new MemcachedStore({ servers: [hung.address], timeoutMs });
    try {
      const { error, ms } = await failureOf(store.set('k', 'v', 60));

      expect(error).toMatchObject({ name: 'StoreError', reason: 'timeout' });
      expect((error as Error).message).toBe(`Memcached at ${hung.address} did not answer a set within ${timeoutMs} ms.`);
      expect(ms).toBeLessThan(hangBound(timeoutMs));
      await expect(store.ping()).rejects.toMatchObject({ reason: 'timeout' });
    } finally {
      await store.close();
      await hung.close();
    }
  });

  it('should fail with StoreError timeout when the server drops the connection mid-request', async () => {
    // memjs leaves such a request pending forever; our own timer must end it.
    const sockets = new Set<Socket>();
    const dropper: Server = createServer((socket) => {
      sockets.add(socket);
      socket.once('data', () => socket.destroy());
    });
    await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
    const port = (dropper.address() as { port: number }).port;
    const store = new MemcachedStore({ servers: [`127.0.0.1:${port}`], timeoutMs });
    try {
      const { error, ms } = await failureOf(store.get('k'));

      expect(error).toMatchObject({ name: 'StoreError', reason: 'timeout' });
      expect(ms).toBeLessThan(hangBound(timeoutMs));
    } finally {
      await store.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => dropper.close(resolve));
    }
  });

  it('should serve again soon after a slow network recovers, even under steady traffic', async () => {
    // memjs only drops a connection that was idle for its timeout: traffic every 100 ms (as periodic sweeps
    // and heartbeats make) keeps a stalled connection open, and its backlog in front of every later call.
    const proxy = await startTcpProxy({ target: server.port });
    const store = new MemcachedStore({ servers: [proxy.address], timeoutMs });
    let timeouts = 0;
    const traffic = setInterval(() => {
      store.get('steady').catch((error: unknown) => {
        if ((error as StoreError).reason === 'timeout') timeouts++;
      });
    }, 100);
    try {
      await store.set('k', 'v', 60);

      proxy.setMode('delay', timeoutMs * 4);
      const { error, ms } = await failureOf(store.get('k'));
      expect(error).toMatchObject({ name: 'StoreError', reason: 'timeout' });
      expect(ms).toBeLessThan(hangBound(timeoutMs));
      await waitFor(() => timeouts >= 10, { timeoutMs: 10_000, message: 'the steady traffic to time out for a while' });

      proxy.setMode('pass');
      await waitFor(async () => (await store.get('k').catch(() => null)) === 'v', {
        timeoutMs: hangBound(timeoutMs) * 2,
        intervalMs: 50,
        message: 'the store to answer again once the network is fast',
      });
    } finally {
      clearInterval(traffic);
      await store.close();
      await proxy.close();
    }
  });

  it('should answer a call made right after a timeout over the fresh connection', async () => {
    const proxy = await startTcpProxy({ target: server.port });
    const store = new MemcachedStore({ servers: [proxy.address], timeoutMs });
    try {
      await store.set('k', 'v', 60);
      proxy.setMode('blackhole');
      await expect(store.get('k')).rejects.toMatchObject({ name: 'StoreError', reason: 'timeout' });

      // Still within the turn of the event loop that dropped the old connection, before it reports closed.
      proxy.setMode('pass');
      await expect(store.get('k')).resolves.toBe('v');
      await expect(store.get('k')).resolves.toBe('v');

      // The dropped one and one fresh connection, not a fresh one per call.
      expect(proxy.connections).toBe(2);
    } finally {
      await store.close();
      await proxy.close();
    }
  });

  it('should read the fresh connection’s answers whole after a timeout cut an answer short', async () => {
    // The first connection gets half of an answer's header and then nothing; later ones get whole answers.
    const sockets = new Set<Socket>();
    let connections = 0;
    const halfway: Server = createServer((socket) => {
      sockets.add(socket);
      const first = ++connections === 1;
      socket.on('data', (request: Buffer) => {
        const answer = Buffer.alloc(24);
        answer[0] = 0x81;
        answer[1] = request[1] ?? 0;
        answer.writeUInt16BE(1, 6); // key not found
        request.copy(answer, 12, 12, 16); // the request's opaque
        socket.write(first ? answer.subarray(0, 10) : answer);
      });
    });
    await new Promise<void>((resolve) => halfway.listen(0, '127.0.0.1', resolve));
    const port = (halfway.address() as { port: number }).port;
    const store = new MemcachedStore({ servers: [`127.0.0.1:${port}`], timeoutMs });
    try {
      await expect(store.get('k')).rejects.toMatchObject({ name: 'StoreError', reason: 'timeout' });

      await expect(store.get('k')).resolves.toBeNull();
      await expect(store.get('k')).resolves.toBeNull();
    } finally {
      await store.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => halfway.close(resolve));
    }
  });

  it('should refuse an invalid key without contacting the server', async () => {
    const hung = await startUnresponsiveServer();
    const store = new MemcachedStore({ servers: [hung.address], timeoutMs });
    try {
      await expect(store.get('bad key')).rejects.toMatchObject({ reason: 'invalid-key' });
      await expect(store.set('k', 'v', 0)).rejects.toMatchObject({ reason: 'invalid-argument' });

      expect(hung.connections).toBe(0);
    } finally {
      await store.close();
      await hung.close();
    }
  });

  it('should recover by itself when the server is restarted', async () => {
    const own = await startMemcached();
    const store = new MemcachedStore({ servers: [own.address], timeoutMs });
    try {
      await store.set('k', 'before', 60);

      await own.stop();
      await expect(store.get('k')).rejects.toMatchObject({ name: 'StoreError', reason: 'unavailable' });
      await own.restart();

      await waitFor(
        async () => {
          await store.set('k', 'after', 60);
          return (await store.get('k')) === 'after';
        },
        { timeoutMs: 5000, intervalMs: 50, message: 'the same store to work again after the restart' },
      );
      await expect(store.ping()).resolves.toEqual(expect.any(Number));
    } finally {
      await store.close();
      await own.stop();
    }
  });

  it('should spread keys over several servers and read every one back', async () => {
    const second = await startMemcached();
    const both = new MemcachedStore({ servers: [server.address, second.address], keyPrefix: 'multi:' });
    const secondOnly = new MemcachedStore({ servers: [second.address], keyPrefix: 'multi:' });
    try {
      const keys = Array.from({ length: 40 }, (_, i) => `key${i}`);
      await Promise.all(keys.map((k) => both.set(k, `value of ${k}`, 60)));

      await expect(Promise.all(keys.map((k) => both.get(k)))).resolves.toEqual(keys.map((k) => `value of ${k}`));
      const onSecond = (await Promise.all(keys.map((k) => secondOnly.get(k)))).filter((v) => v !== null);
      expect(onSecond.length).toBeGreaterThan(0);
      expect(onSecond.length).toBeLessThan(keys.length);
      await expect(both.ping()).resolves.toEqual(expect.any(Number));
    } finally {
      await both.close();
      await secondOnly.close();
      await second.stop();
    }
  });

  it('should fail its ping when one of several servers is down', async () => {
    const down = `127.0.0.1:${await freePort()}`;
    const store = new MemcachedStore({ servers: [server.address, down], timeoutMs });
    try {
      await expect(store.ping()).rejects.toMatchObject({
        name: 'StoreError',
        reason: 'unavailable',
        message: expect.stringContaining(down),
      });
    } finally {
      await store.close();
    }
  });

  describe('with SASL', () => {
    const credentials = { username: 'servicekit', password: 'p@ss:word' };
    let secured: MemcachedServer;

    beforeAll(async () => {
      secured = await startMemcached({ sasl: credentials });
    });

    afterAll(async () => {
      await secured?.stop();
    });

    it('should work with the right credentials', async () => {
      const store = new MemcachedStore({ servers: [secured.address], ...credentials });
      try {
        await store.set('k', 'v', 60);

        await expect(store.get('k')).resolves.toBe('v');
        await expect(store.increment('n', 1, { initial: 1, ttlSeconds: 60 })).resolves.toBe(1);
        await expect(store.ping()).resolves.toEqual(expect.any(Number));
      } finally {
        await store.close();
      }
    });

    it('should fail with StoreError auth on a wrong password', async () => {
      const store = new MemcachedStore({ servers: [secured.address], username: credentials.username, password: 'wrong', timeoutMs });
      try {
        await expect(store.get('k')).rejects.toMatchObject({ name: 'StoreError', reason: 'auth' });
        await expect(store.ping()).rejects.toMatchObject({ reason: 'auth' });
      } finally {
        await store.close();
      }
    });

    it('should fail with StoreError auth without credentials', async () => {
      const store = new MemcachedStore({ servers: [secured.address], timeoutMs });
      try {
        await expect(store.set('k', 'v', 60)).rejects.toMatchObject({ name: 'StoreError', reason: 'auth' });
      } finally {
        await store.close();
      }
    });
  });
});
