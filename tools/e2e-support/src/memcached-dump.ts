import { connect, type Socket } from 'node:net';

/** One item of a memcached server, as its LRU crawler lists it and `get` reads it. */
export interface StoredItem {
  key: string;
  /** Absolute expiry in Unix seconds; -1 when the item never expires. */
  exp: number;
  /** null when the item expired or was deleted between the listing and the read. */
  value: string | null;
}

const TIMEOUT_MS = 5000;

/**
 * Every item in a memcached server, read over a raw text-protocol connection: `lru_crawler metadump all`
 * lists the keys (URL-encoded, with their expiry), then `get` reads each one. Nothing of the product is used,
 * so this sees exactly what any other client of the server would.
 */
export async function dumpMemcached(host: string, port: number): Promise<StoredItem[]> {
  const connection = await TextConnection.open(host, port);
  try {
    let listing = '';
    // The crawler answers BUSY while a crawl it started by itself is still running: ask again.
    for (let attempt = 0; attempt < 50; attempt++) {
      listing = (await connection.request('lru_crawler metadump all', metadumpComplete)).toString('utf8');
      if (!listing.startsWith('BUSY')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!listing.endsWith('END\r\n')) throw new Error(`memcached did not list its keys: ${listing.slice(0, 200)}`);
    const items: StoredItem[] = [];
    for (const line of listing.split(/\r?\n/)) {
      const fields = Object.fromEntries(line.split(' ').map((field) => field.split('=', 2) as [string, string]));
      if (fields['key'] === undefined) continue;
      const key = decodeURIComponent(fields['key']);
      const reply = await connection.request(`get ${key}`, getComplete);
      items.push({ key, exp: Number(fields['exp']), value: parseGet(reply) });
    }
    return items;
  } finally {
    connection.close();
  }
}

class TextConnection {
  private buffer = Buffer.alloc(0);
  private waiting: { complete: (buffer: Buffer) => boolean; resolve: (reply: Buffer) => void; reject: (error: Error) => void } | null =
    null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      const waiting = this.waiting;
      if (waiting && waiting.complete(this.buffer)) {
        this.waiting = null;
        const reply = this.buffer;
        this.buffer = Buffer.alloc(0);
        waiting.resolve(reply);
      }
    });
    socket.on('error', (error) => this.waiting?.reject(error));
  }

  static open(host: string, port: number): Promise<TextConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.once('connect', () => resolve(new TextConnection(socket)));
      socket.once('error', reject);
    });
  }

  request(command: string, complete: (buffer: Buffer) => boolean): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`memcached did not answer "${command}" within ${TIMEOUT_MS} ms.`)), TIMEOUT_MS);
      this.waiting = {
        complete,
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.socket.write(`${command}\r\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

function metadumpComplete(buffer: Buffer): boolean {
  const text = buffer.toString('latin1');
  return text.endsWith('END\r\n') || /^(BUSY|ERROR|CLIENT_ERROR|SERVER_ERROR)[^\n]*\r\n$/.test(text);
}

/** `VALUE <key> <flags> <bytes>\r\n<data>\r\nEND\r\n`, or `END\r\n` for a missing key. */
function getComplete(buffer: Buffer): boolean {
  const text = buffer.toString('latin1');
  if (text === 'END\r\n' || /^(ERROR|CLIENT_ERROR|SERVER_ERROR)[^\n]*\r\n$/.test(text)) return true;
  const header = /^VALUE \S+ \d+ (\d+)\r\n/.exec(text);
  if (!header) return false;
  return buffer.length >= header[0].length + Number(header[1]) + '\r\nEND\r\n'.length;
}

function parseGet(reply: Buffer): string | null {
  const text = reply.toString('latin1');
  const header = /^VALUE \S+ \d+ (\d+)\r\n/.exec(text);
  if (!header) {
    if (text === 'END\r\n') return null;
    throw new Error(`memcached answered a get with: ${text.slice(0, 200)}`);
  }
  return reply.subarray(header[0].length, header[0].length + Number(header[1])).toString('utf8');
}
