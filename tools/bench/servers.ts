import { spawn } from 'node:child_process';
import { MemcachedServer, startMemcached } from '@servicekit/tools/testing';
import { ApiServer, createHelpSession, enqueue, SHARED_SECRETS, startApiServer } from '@servicekit/tools/e2e-support';
import type { CreateHelpSessionResponse } from '@servicekit/contracts';
import { CostMeter, MemcachedCalls } from './probe';

/**
 * The API as the bench runs it: the rate limits off (docs/configuration.md: `0` turns a limit off) so they never
 * cap a figure, and a long no-show time so a claimed customer the bench has no browser for is not handed back
 * while it is measured. LOG_LEVEL stays at startApiServer's `warn` (no line per request).
 */
export const BENCH_ENV = { ...SHARED_SECRETS, HELP_SESSION_RATE_LIMIT: '0', SIGN_IN_RATE_LIMIT: '0', NO_SHOW_MS: '60000' };

export interface BenchServer {
  api: ApiServer;
  memcached: MemcachedServer | null;
  meter: CostMeter;
  calls: MemcachedCalls | null;
  stop(): Promise<void>;
}

/** One built API process, on a fresh memcached of its own or on the in-process store. */
export async function startBenchServer(store: 'in-memory' | 'memcached', env: Record<string, string> = {}): Promise<BenchServer> {
  const memcached = store === 'memcached' ? await startMemcached({ memoryMb: 256 }) : null;
  const api = await startApiServer({ ...BENCH_ENV, ...(memcached ? { MEMCACHED_SERVERS: memcached.address } : {}), ...env });
  const calls = memcached ? await MemcachedCalls.open(memcached.host, memcached.port) : null;
  const pid = api.process.pid;
  if (pid === undefined) throw new Error('The API process has no pid.');
  return {
    api,
    memcached,
    calls,
    meter: new CostMeter(pid, calls),
    stop: async () => {
      calls?.close();
      await api.stop();
      await memcached?.stop();
    },
  };
}

/** A bare Node HTTP server in its own process (the floor any HTTP framework is compared with). */
export async function startBareServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const source = `require('node:http').createServer((q, s) => { s.setHeader('content-type', 'application/json'); s.end('{"status":"ok"}'); })
    .listen(0, '127.0.0.1', function () { console.log('port ' + this.address().port); });`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /port (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`The bare HTTP server exited with ${code}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs `work` for each item with at most `concurrency` in flight. */
export async function inParallel<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

/** Creates `count` help sessions and queues them (unless told not to), many at once; in queue order. */
export async function fillQueue(
  base: string,
  count: number,
  options: { concurrency?: number; queue?: boolean; label?: string } = {},
): Promise<CreateHelpSessionResponse[]> {
  const label = options.label ?? 'Bench';
  const sessions = await inParallel(
    Array.from({ length: count }, (_, i) => i),
    options.concurrency ?? 64,
    async (i) => {
      const created = await createHelpSession(base, `${label} ${i}`, 'Waiting for the bench.');
      if (created.status !== 201) throw new Error(`Creating a help session answered ${created.status}: ${JSON.stringify(created.body)}`);
      return created.body;
    },
  );
  if (options.queue === false) return sessions;
  const places = await inParallel(sessions, options.concurrency ?? 64, async (session) => {
    const queued = await enqueue(base, session);
    if (queued.status !== 200 && queued.status !== 201)
      throw new Error(`Enqueue answered ${queued.status}: ${JSON.stringify(queued.body)}`);
    return queued.body.position;
  });
  // Enqueued many at once, they stand in the order their tickets were taken, not the order they were created.
  return sessions
    .map((session, i) => ({ session, place: places[i]! }))
    .sort((a, b) => a.place - b.place)
    .map(({ session }) => session);
}

/** GET /api{path} with an optional bearer token; the body as text (JSON or the metrics exposition); throws on anything but 200. */
export async function getOk(base: string, path: string, token?: string): Promise<string> {
  const response = await fetch(`${base}/api${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 200)}`);
  return text;
}
