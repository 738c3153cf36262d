import { PresenceClient } from '@servicekit/client/presence';
import type { CreateHelpSessionResponse } from '@servicekit/contracts';
import { cancel, claimNext, createHelpSession, endSession, enqueue, signIn, TEST_OPS_TOKEN } from '@servicekit/tools/e2e-support';
import { Cost } from '../probe';
import { figure, Figure, growth, median } from '../report';
import { BenchServer, fillQueue, getOk, startBenchServer } from '../servers';
import type { BenchOptions } from '../options';

const OPERATIONS = [
  'enqueue',
  'cancel',
  'claim',
  'end of call',
  'GET /api/status',
  'GET /api/ops/queue',
  'metrics scrape',
  'socket connection',
] as const;
type Operation = (typeof OPERATIONS)[number];

/**
 * A customer without a socket keeps an "expected" presence lease from the enqueue for PRESENCE_GRACE_MS and is
 * eligible for claims while it lasts (libs/api/presence LeaseRecords.expect/check): at the longest grace the
 * fill and the measurements at the deepest queue fit in it, so claims take the head without sockets, and no
 * socket stays connected that would set the position pusher to work inside other operations' figures.
 */
const GRACE_MS = 300_000;

async function created(base: string, label: string): Promise<CreateHelpSessionResponse> {
  const reply = await createHelpSession(base, label, 'Measuring one operation.');
  if (reply.status !== 201) throw new Error(`Creating a help session answered ${reply.status}`);
  return reply.body;
}

async function expectStatus(what: string, reply: Promise<{ status: number }>, ...ok: number[]): Promise<void> {
  const { status } = await reply;
  if (!ok.includes(status)) throw new Error(`${what} answered ${status}`);
}

interface DepthRun {
  depth: number;
  /** Per operation, one value per repeat: mean store calls and CPU ms per operation. */
  calls: Map<Operation, number[]>;
  cpu: Map<Operation, number[]>;
  fillS: number;
  skipped: number;
}

async function measureDepth(depth: number, perRepeat: number, options: BenchOptions): Promise<DepthRun> {
  // At 10,000 waiting one scan is 20,000 gets, close to the default 1 s store timeout (a run saw an enqueue
  // answer 503): a longer timeout keeps the figure a cost, not a failure.
  const server: BenchServer = await startBenchServer('memcached', { PRESENCE_GRACE_MS: String(GRACE_MS), MEMCACHED_TIMEOUT_MS: '10000' });
  try {
    const base = server.api.url;
    const fillStarted = performance.now();
    const waiting = await fillQueue(base, depth, { concurrency: 64, label: 'Depth' });
    const fillS = (performance.now() - fillStarted) / 1000;
    const rep = (await signIn(base, 'Depth rep')).body.token;
    const idle = await server.meter.idleRate(options.quick ? 500 : 1500);
    const calls = new Map<Operation, number[]>();
    const cpu = new Map<Operation, number[]>();
    let head = 0;
    let skipped = 0;
    for (let repeat = 0; repeat < options.repeats; repeat++) {
      const sums = new Map<Operation, Cost>();
      const measure = async (operation: Operation, action: () => Promise<unknown>) => {
        const { cost } = await server.meter.measure(action);
        const sum = sums.get(operation) ?? { cpuMs: 0, calls: 0, wallMs: 0 };
        sums.set(operation, {
          cpuMs: sum.cpuMs + cost.cpuMs - idle.cpuMs * cost.wallMs,
          calls: sum.calls + cost.calls - idle.calls * cost.wallMs,
          wallMs: sum.wallMs + cost.wallMs,
        });
      };
      for (let i = 0; i < perRepeat; i++) {
        const a = await created(base, 'Measured A');
        const b = await created(base, 'Measured B');
        await measure('enqueue', () => expectStatus('enqueue', enqueue(base, a), 200, 201));
        await measure('GET /api/status', () => getOk(base, '/status'));
        await measure('GET /api/ops/queue', () => getOk(base, '/ops/queue', TEST_OPS_TOKEN));
        await measure('metrics scrape', () => getOk(base, '/metrics', TEST_OPS_TOKEN));
        await expectStatus('enqueue', enqueue(base, b), 200, 201);
        await measure('cancel', () => expectStatus('cancel', cancel(base, b), 204));
        let claimed: string | undefined;
        await measure('claim', async () => {
          const reply = await claimNext(base, rep);
          if (reply.status !== 200 || !reply.body) throw new Error(`claim answered ${reply.status}`);
          claimed = reply.body.helpSession.id;
        });
        // The head should be taken: the oldest filler (or A on an empty queue); anyone else means the head was skipped.
        const expected = depth === 0 ? a.id : waiting[head++]?.id;
        if (claimed !== expected) skipped++;
        await measure('end of call', () => expectStatus('end of call', endSession(base, claimed!, rep), 204));
        const c = await created(base, 'Measured C');
        await expectStatus('enqueue', enqueue(base, c), 200, 201);
        let client: PresenceClient | undefined;
        await measure('socket connection', async () => {
          client = new PresenceClient({ url: base, token: c.customerToken });
          await client.customerStateWhere(() => true);
        });
        client?.close();
        await expectStatus('cancel', cancel(base, c), 204);
      }
      for (const [operation, sum] of sums) {
        calls.set(operation, [...(calls.get(operation) ?? []), sum.calls / perRepeat]);
        cpu.set(operation, [...(cpu.get(operation) ?? []), sum.cpuMs / perRepeat]);
      }
    }
    return { depth, calls, cpu, fillS, skipped };
  } finally {
    await server.stop();
  }
}

/**
 * Depth: what each operation costs the server (store calls counted by memcached itself, CPU ms from /proc) with
 * 0, 1,000 and 10,000 customers waiting, and how that grows.
 */
export async function depthSection(options: BenchOptions): Promise<Figure[]> {
  const depths = options.quick ? [0, 20, 200] : [0, 1000, 10_000];
  const runs: DepthRun[] = [];
  for (const depth of depths) {
    const perRepeat = options.quick ? 2 : depth >= 10_000 ? 2 : 8;
    runs.push(await measureDepth(depth, perRepeat, options));
  }
  const figures: Figure[] = [];
  for (const operation of OPERATIONS) {
    for (const [metric, unit, pick] of [
      ['store calls', 'calls', (run: DepthRun) => run.calls],
      ['server CPU', 'ms', (run: DepthRun) => run.cpu],
    ] as const) {
      const points = runs.map((run) => ({ depth: run.depth, samples: pick(run).get(operation) ?? [] }));
      for (const point of points) {
        figures.push(figure('depth', `${metric} per ${operation}, ${point.depth.toLocaleString('en')} waiting`, unit, point.samples));
      }
      const shape = growth(points.map((p) => ({ depth: p.depth, value: median(p.samples) })));
      const first = points[0]!;
      const last = points[points.length - 1]!;
      const ratio = median(last.samples) / Math.max(median(first.samples), 1e-9);
      figures.push({
        ...figure('depth', `${metric} per ${operation}: growth`, `× (${last.depth.toLocaleString('en')} vs 0)`, [ratio]),
        goal: { text: 'constant in depth' },
        met: shape === 'constant',
        note: shape,
      });
    }
  }
  for (const run of runs) {
    figures.push(
      figure('depth', `fill to ${run.depth.toLocaleString('en')} waiting over HTTP (64 at once)`, 's', [run.fillS]),
      figure('depth', `claims that skipped the head, ${run.depth.toLocaleString('en')} waiting`, 'claims', [run.skipped], {
        atMost: 0,
        text: '0',
      }),
    );
  }
  return figures;
}
