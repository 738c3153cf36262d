import { signIn } from '@servicekit/tools/e2e-support';
// autocannon ships no types; the little used here is typed below.
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;
import { figure, Figure } from '../report';
import { BenchServer, startBareServer, startBenchServer } from '../servers';
import type { BenchOptions } from '../options';

interface AutocannonResult {
  duration: number;
  requests: { total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

interface CycleContext {
  id?: string;
  token?: string;
  claimed?: string;
}

const CONNECTIONS = 32;
const json = { 'content-type': 'application/json' };

/**
 * The queue cycle as autocannon's request chain, one chain per connection: ask for help, queue, a rep takes
 * the next customer (whoever is first: with 32 chains at once, often another chain's), the rep ends that
 * help session. A claim that finds nobody (204) restarts the chain without the end (setupRequest → null).
 */
function cycleRequests(repToken: string) {
  const rep = { ...json, authorization: `Bearer ${repToken}` };
  return [
    {
      method: 'POST',
      path: '/api/help-sessions',
      headers: json,
      body: JSON.stringify({ customerName: 'Bench customer', problemText: 'Measuring the queue cycle.' }),
      onResponse: (status: number, body: string, context: CycleContext) => {
        if (status !== 201) return;
        const session = JSON.parse(body) as { id: string; customerToken: string };
        context.id = session.id;
        context.token = session.customerToken;
      },
    },
    {
      method: 'POST',
      setupRequest: (request: Record<string, unknown>, context: CycleContext) =>
        context.id
          ? { ...request, path: `/api/help-sessions/${context.id}/queue`, headers: { authorization: `Bearer ${context.token}` } }
          : null,
    },
    {
      method: 'POST',
      path: '/api/queue/next',
      headers: rep,
      body: '{}',
      onResponse: (status: number, body: string, context: CycleContext) => {
        context.claimed = status === 200 ? (JSON.parse(body) as { helpSession: { id: string } }).helpSession.id : undefined;
      },
    },
    {
      method: 'DELETE',
      setupRequest: (request: Record<string, unknown>, context: CycleContext) =>
        context.claimed
          ? { ...request, path: `/api/help-sessions/${context.claimed}`, headers: { authorization: `Bearer ${repToken}` } }
          : null,
    },
  ];
}

/** One autocannon run: for `seconds`, or (BENCH_QUICK) for a fixed number of requests. */
async function load(url: string, length: { seconds: number } | { amount: number }, requests?: unknown[]) {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    ...('seconds' in length ? { duration: length.seconds } : { amount: length.amount }),
    ...(requests ? { requests } : { requests: [{ method: 'GET', path: '/api/health' }] }),
  });
  return {
    perSecond: result.requests.total / result.duration,
    failed: result.non2xx + result.errors + result.timeouts,
    total: result.requests.total,
  };
}

/**
 * HTTP: requests/s of the queue cycle against `GET /api/health` on the same server and a bare Node server, at
 * concurrency 32, each store; the three interleaved in each repeat so they share the machine's state.
 */
export async function httpSection(options: BenchOptions): Promise<Figure[]> {
  const length = options.quick ? { amount: 320 } : { seconds: 5 };
  const bare = await startBareServer();
  const servers: [string, BenchServer][] = [];
  try {
    for (const store of ['in-memory', 'memcached'] as const) servers.push([store, await startBenchServer(store)]);
    const tokens = new Map<string, string>();
    for (const [store, server] of servers) tokens.set(store, (await signIn(server.api.url, 'Bench rep')).body.token);
    const samples = new Map<string, number[]>();
    const add = (key: string, value: number) => samples.set(key, [...(samples.get(key) ?? []), value]);
    let failed = 0;
    for (let repeat = 0; repeat < options.repeats; repeat++) {
      const bareRun = await load(bare.url, length);
      add('bare', bareRun.perSecond);
      for (const [store, server] of servers) {
        const health = await load(server.api.url, length);
        const cycle = await load(server.api.url, length, cycleRequests(tokens.get(store)!));
        failed += health.failed + cycle.failed;
        add(`${store} health`, health.perSecond);
        add(`${store} cycle`, cycle.perSecond);
        add(`${store} ratio`, cycle.perSecond / health.perSecond);
        add(`${store} health/bare`, health.perSecond / bareRun.perSecond);
      }
    }
    const get = (key: string) => samples.get(key) ?? [];
    const figures: Figure[] = [figure('http', 'bare Node http server, GET', 'req/s', get('bare'))];
    for (const [store] of servers) {
      figures.push(
        figure('http', `GET /api/health, ${store}`, 'req/s', get(`${store} health`)),
        figure(
          'http',
          `queue cycle (4 requests), ${store}`,
          'req/s',
          get(`${store} cycle`),
          null,
          `${(
            Math.round((get(`${store} cycle`).reduce((a, b) => a + b, 0) / Math.max(1, get(`${store} cycle`).length) / 4) * 10) / 10
          ).toString()} cycles/s (mean)`,
        ),
        figure('http', `cycle req/s ÷ health req/s, ${store}`, '×', get(`${store} ratio`), { atLeast: 0.5, text: '≥ 0.5' }),
        figure('http', `health req/s ÷ bare req/s, ${store}`, '×', get(`${store} health/bare`)),
      );
    }
    figures.push(figure('http', 'non-2xx or failed requests, all runs', 'requests', [failed], { atMost: 0, text: '0' }));
    return figures;
  } finally {
    await Promise.all(servers.map(([, server]) => server.stop()));
    await bare.stop();
  }
}
