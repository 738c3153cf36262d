import { ChildProcess, spawn } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket, Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@servicekit/tools/testing';

const CONFIG = join(__dirname, '../../../../deploy/coturn/turnserver.conf');
const REALM = 'servicekit.test';

/** A sample of every range the relay must never reach. Asking for a permission sends nothing to the address. */
const INTERNAL_PEERS = {
  ipv4: ['127.0.0.1', '10.1.2.3', '172.20.0.5', '192.168.1.10', '169.254.169.254', '100.64.0.1', '0.0.0.1'],
  ipv6: ['::1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1'],
};

const lines = () =>
  readFileSync(CONFIG, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

describe('the shipped coturn configuration', () => {
  it('should use short-lived credentials, a TLS listener and no secret of its own', () => {
    expect(lines()).toEqual(expect.arrayContaining(['use-auth-secret', 'fingerprint', 'tls-listening-port=5349', 'no-cli']));
    expect(lines().some((line) => line.startsWith('cert=')) && lines().some((line) => line.startsWith('pkey='))).toBe(true);
    expect(lines().filter((line) => /static-auth-secret|^user=|lt-cred-mech|allow-loopback-peers|no-auth/.test(line))).toEqual([]);
  });

  describe('run by coturn', () => {
    let dir: string;
    const running: ChildProcess[] = [];

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'coturn-'));
    });

    afterAll(async () => {
      await Promise.all(running.map((child) => stop(child)));
      rmSync(dir, { recursive: true, force: true });
    });

    /** coturn on loopback with the given configuration file; the secret and realm on the command line, as deployed. */
    async function start(configFile: string, secret: string): Promise<number> {
      const [port, tlsPort, relay] = [await freePort(), await freePort(), await freePort()];
      const child = spawn(
        'turnserver',
        [
          '-c',
          configFile,
          '--listening-ip=127.0.0.1',
          // An IPv4 and an IPv6 relay address: a relay only reaches peers of its own family.
          '--relay-ip=127.0.0.1',
          '--relay-ip=::1',
          `--listening-port=${port}`,
          `--tls-listening-port=${tlsPort}`,
          `--min-port=${relay}`,
          `--max-port=${relay + 20}`,
          `--static-auth-secret=${secret}`,
          `--realm=${REALM}`,
          `--pidfile=${join(dir, `${port}.pid`)}`,
          `--db=${join(dir, `${port}.sqlite`)}`,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      running.push(child);
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await waitFor(async () => (await bindingSucceeds(port)) || child.exitCode !== null, {
        timeoutMs: 10_000,
        message: 'coturn to answer STUN',
      });
      if (child.exitCode !== null) throw new Error(`coturn exited at start-up:\n${output}`);
      return port;
    }

    it('should relay only to public addresses: every internal peer is refused with 403', async () => {
      const secret = randomBytes(24).toString('base64');
      const port = await start(CONFIG, secret);
      for (const family of ['ipv4', 'ipv6'] as const) {
        const client = await TurnClient.allocate(port, credentials(secret), family);
        try {
          const answers = await Promise.all(
            INTERNAL_PEERS[family].map(async (peer) => [peer, await client.createPermission(peer)] as const),
          );
          expect(answers.filter(([, code]) => code !== 403)).toEqual([]);
        } finally {
          client.close();
        }
      }
    });

    it('should refuse credentials made with another secret', async () => {
      const port = await start(CONFIG, randomBytes(24).toString('base64'));
      await expect(TurnClient.allocate(port, credentials('not-the-secret'))).rejects.toThrow(/Allocate failed with 401/);
    });

    it('should grant those permissions without the deny list (the 403s come from the configuration)', async () => {
      const secret = randomBytes(24).toString('base64');
      const permissive = join(dir, 'permissive.conf');
      writeFileSync(
        permissive,
        lines()
          .filter((line) => !line.startsWith('denied-peer-ip'))
          .join('\n'),
      );
      const client = await TurnClient.allocate(await start(permissive, secret), credentials(secret));
      try {
        await expect(client.createPermission('10.1.2.3')).resolves.toBe(200);
        await expect(client.createPermission('192.168.1.10')).resolves.toBe(200);
      } finally {
        client.close();
      }
    });
  });
});

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  return exited;
}

/** Short-lived credentials as the API issues them (TURN REST API): "<expiry>:<id>", HMAC-SHA1 of it. */
function credentials(secret: string): { username: string; password: string } {
  const username = `${Math.floor(Date.now() / 1000) + 600}:participant`;
  return { username, password: createHmac('sha1', secret).update(username).digest('base64') };
}

// A minimal STUN/TURN client over UDP (RFC 8489, RFC 8656): just enough to allocate and ask for permissions.
const MAGIC = 0x2112a442;
const BINDING = 0x0001;
const ALLOCATE = 0x0003;
const CREATE_PERMISSION = 0x0008;
const ATTR = { USERNAME: 0x0006, MESSAGE_INTEGRITY: 0x0008, ERROR_CODE: 0x0009, REALM: 0x0014, NONCE: 0x0015, XOR_PEER_ADDRESS: 0x0012 };
const REQUESTED_TRANSPORT = 0x0019;
const REQUESTED_ADDRESS_FAMILY = 0x0017;

interface StunMessage {
  type: number;
  attributes: Map<number, Buffer>;
}

function attribute(type: number, value: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(value.length, 2);
  return Buffer.concat([header, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
}

function encode(type: number, transaction: Buffer, attributes: Buffer[], integrityKey?: Buffer): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(type, 0);
  header.writeUInt32BE(MAGIC, 4);
  transaction.copy(header, 8);
  let body = Buffer.concat(attributes);
  if (integrityKey) {
    // The HMAC covers the message with its length already counting the integrity attribute (24 bytes).
    header.writeUInt16BE(body.length + 24, 2);
    const hmac = createHmac('sha1', integrityKey)
      .update(Buffer.concat([header, body]))
      .digest();
    body = Buffer.concat([body, attribute(ATTR.MESSAGE_INTEGRITY, hmac)]);
  }
  header.writeUInt16BE(body.length, 2);
  return Buffer.concat([header, body]);
}

function decode(message: Buffer): StunMessage {
  const attributes = new Map<number, Buffer>();
  for (let offset = 20; offset + 4 <= message.length; ) {
    const type = message.readUInt16BE(offset);
    const length = message.readUInt16BE(offset + 2);
    attributes.set(type, message.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length + ((4 - (length % 4)) % 4);
  }
  return { type: message.readUInt16BE(0), attributes };
}

function errorCode(message: StunMessage): number {
  const value = message.attributes.get(ATTR.ERROR_CODE);
  return value ? (value[2] ?? 0) * 100 + (value[3] ?? 0) : 0;
}

function xorPeerAddress(ip: string, transaction: Buffer): Buffer {
  const port = 9 ^ (MAGIC >>> 16);
  if (isIPv4(ip)) {
    const value = Buffer.alloc(8);
    value.writeUInt8(0x01, 1);
    value.writeUInt16BE(port, 2);
    value.writeUInt32BE((ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0) ^ MAGIC) >>> 0, 4);
    return value;
  }
  const full = expandIPv6(ip);
  const mask = Buffer.concat([Buffer.from([0x21, 0x12, 0xa4, 0x42]), transaction]);
  const value = Buffer.alloc(20);
  value.writeUInt8(0x02, 1);
  value.writeUInt16BE(port, 2);
  for (let i = 0; i < 16; i++) value[4 + i] = (full[i] ?? 0) ^ (mask[i] ?? 0);
  return value;
}

function expandIPv6(ip: string): Buffer {
  // The URL parser writes an embedded IPv4 address (::ffff:10.0.0.1) in hex groups (::ffff:a00:1).
  const normalized = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  const [head = '', tail = ''] = normalized.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const missing = 8 - groups(head).length - groups(tail).length;
  const all = [...groups(head), ...Array<string>(missing).fill('0'), ...groups(tail)];
  const bytes = Buffer.alloc(16);
  all.forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16), i * 2));
  return bytes;
}

async function bindingSucceeds(port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  try {
    const reply = await exchange(socket, port, encode(BINDING, randomBytes(12), []), 300);
    return reply.type === 0x0101;
  } catch {
    return false;
  } finally {
    socket.close();
  }
}

function exchange(socket: Socket, port: number, request: Buffer, timeoutMs = 2000): Promise<StunMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('message', onMessage);
      reject(new Error('coturn did not answer'));
    }, timeoutMs);
    const onMessage = (message: Buffer) => {
      if (!message.subarray(8, 20).equals(request.subarray(8, 20))) return;
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve(decode(message));
    };
    socket.on('message', onMessage);
    socket.send(request, port, '127.0.0.1');
  });
}

class TurnClient {
  private constructor(
    private readonly socket: Socket,
    private readonly port: number,
    private readonly auth: Buffer[],
    private readonly key: Buffer,
  ) {}

  /** Allocates a relay with long-term credentials (the 401 challenge, then the signed request). */
  static async allocate(
    port: number,
    { username, password }: { username: string; password: string },
    family: 'ipv4' | 'ipv6' = 'ipv4',
  ): Promise<TurnClient> {
    const socket = createSocket('udp4');
    const transport = [
      attribute(REQUESTED_TRANSPORT, Buffer.from([17, 0, 0, 0])),
      attribute(REQUESTED_ADDRESS_FAMILY, Buffer.from([family === 'ipv4' ? 0x01 : 0x02, 0, 0, 0])),
    ];
    const challenge = await exchange(socket, port, encode(ALLOCATE, randomBytes(12), transport));
    const realm = challenge.attributes.get(ATTR.REALM) ?? Buffer.alloc(0);
    const nonce = challenge.attributes.get(ATTR.NONCE) ?? Buffer.alloc(0);
    const key = createHash('md5').update(`${username}:${realm.toString()}:${password}`).digest();
    const auth = [attribute(ATTR.USERNAME, Buffer.from(username)), attribute(ATTR.REALM, realm), attribute(ATTR.NONCE, nonce)];
    const reply = await exchange(socket, port, encode(ALLOCATE, randomBytes(12), [...transport, ...auth], key));
    if (reply.type !== 0x0103) {
      socket.close();
      throw new Error(`Allocate failed with ${errorCode(reply)}`);
    }
    return new TurnClient(socket, port, auth, key);
  }

  /** 200 when coturn grants a permission for the peer, else the error code (403: forbidden address). */
  async createPermission(peer: string): Promise<number> {
    const transaction = randomBytes(12);
    const peerAddress = attribute(ATTR.XOR_PEER_ADDRESS, xorPeerAddress(peer, transaction));
    const reply = await exchange(this.socket, this.port, encode(CREATE_PERMISSION, transaction, [peerAddress, ...this.auth], this.key));
    return reply.type === 0x0108 ? 200 : errorCode(reply);
  }

  close(): void {
    this.socket.close();
  }
}
