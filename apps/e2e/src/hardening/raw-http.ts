import { request } from 'node:http';

export interface RawRequest {
  method: string;
  /** Sent as written: percent-encoding, odd characters and all. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One request with exactly these bytes and headers, for what fetch refuses to send (a path with a bare "%",
 * any Content-Encoding, bodies on any method). A connection of its own each time (no keep-alive race with the
 * server closing idle connections); no retry and no redirect.
 */
export function rawRequest(base: string, { method, path, headers = {}, body }: RawRequest, timeoutMs = 10_000): Promise<RawReply> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        agent: false,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () =>
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error(`${method} ${path} got no answer within ${timeoutMs} ms.`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
