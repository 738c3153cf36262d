/**
 * What an idle customer socket costs the server's heap: starts the built API on a fresh memcached, takes a
 * heap snapshot with no sockets and one with `HEAP_SOCKETS` (default 1,000) idle waiting customers holding
 * sockets, and prints the retained growth per socket by constructor (self sizes, largest first). Not part
 * of `npm run bench` (a snapshot of a large heap takes seconds); run it when sockets grow:
 *
 *   SWC_NODE_PROJECT=tools/bench/tsconfig.json node -r @swc-node/register tools/bench/heap-sockets.ts
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRESENCE_NAMESPACE } from '@servicekit/contracts';
import { SHARED_SECRETS, startApiServer } from '@servicekit/tools/e2e-support';
import { startMemcached, waitFor } from '@servicekit/tools/testing';
import { io, Socket } from 'socket.io-client';
import { fillQueue } from './servers';

const SOCKETS = Number(process.env['HEAP_SOCKETS'] ?? 1000);

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

/** Self size and count per "type:name" of every node in the snapshot. */
function census(file: string): Map<string, { size: number; count: number }> {
  const heap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = heap.snapshot.meta.node_fields;
  const [types] = heap.snapshot.meta.node_types;
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field)) as [number, number, number];
  const result = new Map<string, { size: number; count: number }>();
  for (let i = 0; i < heap.nodes.length; i += width) {
    const type = types[heap.nodes[i + typeAt] ?? 0] ?? '?';
    const name =
      type === 'string' || type === 'concatenated string' || type === 'sliced string'
        ? ''
        : (heap.strings[heap.nodes[i + nameAt] ?? 0] ?? '?');
    const key = `${type}:${name.slice(0, 60)}`;
    const entry = result.get(key) ?? { size: 0, count: 0 };
    entry.size += heap.nodes[i + sizeAt] ?? 0;
    entry.count += 1;
    result.set(key, entry);
  }
  return result;
}

async function snapshot(pid: number, dir: string, taken: number): Promise<string> {
  process.kill(pid, 'SIGUSR2');
  // The process writes the file itself; it is complete once the next one's size stops changing.
  let file = '';
  await waitFor(
    () => {
      const files = readdirSync(dir).filter((name) => name.endsWith('.heapsnapshot'));
      if (files.length <= taken) return false;
      file = join(dir, files.sort()[taken] ?? '');
      try {
        JSON.parse(readFileSync(file, 'utf8'));
        return true;
      } catch {
        return false;
      }
    },
    { timeoutMs: 120_000, intervalMs: 500, message: 'the heap snapshot' },
  );
  return file;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sk-heap-'));
  const memcached = await startMemcached();
  const server = await startApiServer({
    ...SHARED_SECRETS,
    MEMCACHED_SERVERS: memcached.address,
    HELP_SESSION_RATE_LIMIT: '0',
    PRESENCE_GRACE_MS: '300000',
    NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}`,
  });
  const pid = server.process.pid ?? 0;
  const sessions = await fillQueue(server.url, SOCKETS, { label: 'Heap' });
  const before = await snapshot(pid, dir, 0);
  const sockets: Socket[] = [];
  for (let i = 0; i < sessions.length; i += 100) {
    await Promise.all(
      sessions.slice(i, i + 100).map(
        (session) =>
          new Promise<void>((resolve) => {
            const socket = io(`${server.url}${PRESENCE_NAMESPACE}`, {
              auth: { token: session.customerToken },
              transports: ['websocket'],
              forceNew: true,
            });
            sockets.push(socket);
            socket.once('customer:state', () => resolve());
          }),
      ),
    );
  }
  const after = await snapshot(pid, dir, 1);
  const [a, b] = [census(before), census(after)];
  const rows = [...b].map(([key, { size, count }]) => ({
    key,
    size: size - (a.get(key)?.size ?? 0),
    count: count - (a.get(key)?.count ?? 0),
  }));
  rows.sort((x, y) => y.size - x.size);
  const total = rows.reduce((sum, row) => sum + row.size, 0);
  process.stdout.write(`${SOCKETS} idle sockets: heap +${(total / 1024 / SOCKETS).toFixed(1)} KB per socket (self sizes)\n`);
  for (const row of rows.slice(0, 30)) {
    process.stdout.write(
      `${(row.size / SOCKETS).toFixed(0).padStart(7)} B/socket  ${(row.count / SOCKETS).toFixed(2).padStart(6)} /socket  ${row.key}\n`,
    );
  }
  sockets.forEach((socket) => socket.disconnect());
  await server.stop();
  await memcached.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
