import { connect } from 'node:net';
import { startMemcached, type MemcachedServer } from './memcached-server';
import { canConnect, freePort, startUnresponsiveServer } from './net';
import { waitFor } from './wait-for';

/** Sends one text-protocol command and resolves with the first reply line. */
function ask(port: number, command: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    socket.setEncoding('utf8');
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no reply to "${command}"`)));
    socket.once('error', reject);
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (reply.includes('\r\n')) {
        socket.end();
        resolve(reply.split('\r\n')[0] ?? '');
      }
    });
    socket.write(`${command}\r\n`);
  });
}

const GET = 0x00;
const SASL_AUTH = 0x21;
const OK = 0x00;
const NOT_FOUND = 0x01;
const AUTH_ERROR = 0x20;

interface BinaryRequest {
  opcode: number;
  key?: string;
  value?: string;
}

function plainAuth(username: string, password: string): BinaryRequest {
  return { opcode: SASL_AUTH, key: 'PLAIN', value: `\0${username}\0${password}` };
}

/** Sends binary-protocol requests one after the other on one connection and resolves with their status codes. */
function askBinary(port: number, requests: BinaryRequest[]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const statuses: number[] = [];
    let buffer = Buffer.alloc(0);
    const send = (request: BinaryRequest) => {
      const key = Buffer.from(request.key ?? '');
      const value = Buffer.from(request.value ?? '');
      const header = Buffer.alloc(24);
      header.writeUInt8(0x80, 0);
      header.writeUInt8(request.opcode, 1);
      header.writeUInt16BE(key.length, 2);
      header.writeUInt32BE(key.length + value.length, 8);
      socket.write(Buffer.concat([header, key, value]));
    };
    socket.setTimeout(2000, () => socket.destroy(new Error('no binary reply')));
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 24 && buffer.length >= 24 + buffer.readUInt32BE(8)) {
        statuses.push(buffer.readUInt16BE(6));
        buffer = buffer.subarray(24 + buffer.readUInt32BE(8));
        const next = requests[statuses.length];
        if (next && statuses.at(-1) === OK) send(next);
        else {
          socket.end();
          resolve(statuses);
          return;
        }
      }
    });
    send(requests[0]!);
  });
}

describe('startMemcached', () => {
  let server: MemcachedServer | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('should start a memcached on a free loopback port that answers commands', async () => {
    server = await startMemcached();

    expect(server.host).toBe('127.0.0.1');
    expect(server.address).toBe(`127.0.0.1:${server.port}`);
    await expect(ask(server.port, 'version')).resolves.toMatch(/^VERSION \d+\.\d+/);
  });

  it('should free the port on stop and tolerate a second stop', async () => {
    server = await startMemcached();

    await server.stop();
    await server.stop();

    await expect(canConnect(server.port)).resolves.toBe(false);
  });

  it('should restart an empty memcached on the same port', async () => {
    server = await startMemcached();
    await expect(ask(server.port, 'set greeting 0 60 5\r\nhello')).resolves.toBe('STORED');

    await server.restart();

    await expect(ask(server.port, 'get greeting')).resolves.toBe('END');
  });

  it('should start again with restart after a stop', async () => {
    server = await startMemcached();
    await server.stop();

    await server.restart();

    await expect(ask(server.port, 'version')).resolves.toMatch(/^VERSION/);
  });

  it('should listen on the port it is given', async () => {
    const port = await freePort();

    server = await startMemcached({ port });

    expect(server.port).toBe(port);
    await expect(canConnect(port)).resolves.toBe(true);
  });

  it('should fail with a clear error when the given port is taken', async () => {
    // It accepts connections (as whoever holds a port does) and never answers.
    const blocker = await startUnresponsiveServer();
    try {
      await expect(startMemcached({ port: blocker.port })).rejects.toThrow(/port is taken/);
    } finally {
      await blocker.close();
    }
  });

  it('should refuse commands before authentication when started with a SASL user', async () => {
    server = await startMemcached({ sasl: { username: 'alice', password: 's3cret' } });

    await expect(askBinary(server.port, [{ opcode: GET, key: 'greeting' }])).resolves.toEqual([AUTH_ERROR]);
  });

  it('should accept the SASL user with the right password only', async () => {
    server = await startMemcached({ sasl: { username: 'alice', password: 's3cret' } });

    await expect(askBinary(server.port, [plainAuth('alice', 's3cret'), { opcode: GET, key: 'greeting' }])).resolves.toEqual([
      OK,
      NOT_FOUND,
    ]);
    await expect(askBinary(server.port, [plainAuth('alice', 'wrong')])).resolves.toEqual([AUTH_ERROR]);
  });
});

describe('waitFor', () => {
  it('should resolve once the condition holds', async () => {
    let calls = 0;

    await waitFor(() => ++calls >= 3, { intervalMs: 1 });

    expect(calls).toBe(3);
  });

  it('should treat a throwing condition as not yet and report its last error on timeout', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('still down');
        },
        { timeoutMs: 50, intervalMs: 5, message: 'the backend' },
      ),
    ).rejects.toThrow(/waiting for the backend: last attempt failed with "still down"/);
  });
});

describe('startUnresponsiveServer', () => {
  it('should accept connections and never answer', async () => {
    const silent = await startUnresponsiveServer();
    try {
      const socket = connect({ port: silent.port, host: '127.0.0.1' });
      let answered = false;
      socket.on('data', () => (answered = true));
      await waitFor(() => silent.connections === 1, { message: 'the connection to be accepted' });
      socket.write('version\r\n');
      await expect(ask(silent.port, 'version', 200)).rejects.toThrow(/no reply/);
      expect(answered).toBe(false);
      socket.destroy();
    } finally {
      await silent.close();
    }
  });
});
