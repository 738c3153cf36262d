import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');

interface Figure {
  section: string;
  name: string;
  unit: string;
  samples: number[];
  median: number;
  min: number;
  max: number;
  goal: { text: string; atMost?: number; atLeast?: number } | null;
  met: boolean | null;
  note?: string;
}

interface BenchResult {
  quick: boolean;
  sections: string[];
  figures: Figure[];
  skipped: { section: string; reason: string }[];
}

/**
 * `npm run bench` in BENCH_QUICK mode, as a process against the built API: every section runs and gives numbers
 * in the shape the table and tmp/bench.json promise. Shapes only, never timings (performance is shown by the
 * bench itself, not asserted by a test).
 */
describe('npm run bench (BENCH_QUICK)', () => {
  let out: string;
  let result: BenchResult;
  let stdout: string;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'bench-'));
    stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['-r', '@swc-node/register', 'tools/bench/run.ts'],
        {
          cwd: ROOT,
          env: { ...process.env, BENCH_QUICK: '1', BENCH_OUT: join(out, 'bench.json'), SWC_NODE_PROJECT: 'tools/bench/tsconfig.json' },
          maxBuffer: 16 * 1024 * 1024,
        },
        (error, output, errors) => (error ? reject(new Error(`The bench failed: ${error.message}\n${errors}`)) : resolve(output)),
      ),
    );
    result = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8')) as BenchResult;
  }, 260_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const names = (section: string) => result.figures.filter((f) => f.section === section).map((f) => f.name);

  it('should run every section and give each of them figures', () => {
    expect(result.quick).toBe(true);
    expect(result.sections).toEqual(['http', 'depth', 'match', 'queue', 'estimates', 'video', 'frontends', 'presence']);
    expect(result.skipped).toEqual([]);
    for (const section of result.sections) expect(names(section).length).toBeGreaterThan(0);
  });

  it('should give every figure finite numbers, a median inside its spread and three repeats where it repeats', () => {
    for (const f of result.figures) {
      expect(f.samples.length).toBeGreaterThan(0);
      for (const value of [...f.samples, f.median, f.min, f.max]) expect(Number.isFinite(value)).toBe(true);
      expect(f.min).toBeLessThanOrEqual(f.median);
      expect(f.median).toBeLessThanOrEqual(f.max);
      // Video's samples are its calls (two in BENCH_QUICK) and reloads; every other figure repeats once or three times.
      if (f.section !== 'video') expect([1, 3]).toContain(f.samples.length);
      expect(f.met === null).toBe(f.goal === null);
    }
  });

  it('should compare the queue cycle with the health endpoint and a bare server on both stores', () => {
    expect(names('http')).toEqual(
      expect.arrayContaining([
        'bare Node http server, GET',
        'cycle req/s ÷ health req/s, in-memory',
        'cycle req/s ÷ health req/s, memcached',
        'non-2xx or failed requests, all runs',
      ]),
    );
    const ratio = result.figures.find((f) => f.name === 'cycle req/s ÷ health req/s, memcached');
    expect(ratio?.samples).toHaveLength(3);
    expect(ratio?.goal?.atLeast).toBe(0.5);
  });

  it('should cost each operation at three depths and state how it grows', () => {
    for (const operation of [
      'enqueue',
      'cancel',
      'claim',
      'end of call',
      'GET /api/status',
      'GET /api/ops/queue',
      'metrics scrape',
      'socket connection',
    ]) {
      for (const metric of ['store calls', 'server CPU']) {
        const growth = result.figures.find((f) => f.name === `${metric} per ${operation}: growth`);
        expect(['constant', 'logarithmic', 'linear', 'worse than linear']).toContain(growth?.note);
        expect(names('depth').filter((n) => n.startsWith(`${metric} per ${operation}, `))).toHaveLength(3);
      }
    }
    // Store calls are memcached's own count: an enqueue makes some.
    expect(result.figures.find((f) => f.name === 'store calls per enqueue, 0 waiting')?.median).toBeGreaterThan(0);
  });

  it('should measure presence at two socket counts, match latency in three set-ups, and both front ends', () => {
    expect(names('presence').filter((n) => n.startsWith('claim → the last customer whose shown place changed sees it'))).toHaveLength(2);
    expect(names('presence').filter((n) => n.startsWith('sockets connected within'))).toHaveLength(2);
    expect(names('match').filter((n) => n.startsWith('claim → reserved p99'))).toHaveLength(3);
    expect(names('frontends')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^customer app/), expect.stringMatching(/^rep app/), 'widget loader embed.js, gzip']),
    );
    expect(result.figures.find((f) => f.name === 'widget loader embed.js, gzip')?.goal?.atMost).toBe(6);
  });

  it('should time the first remote frame on both sides, direct and through the relay, and video back after a reload', () => {
    const video = result.figures.filter((f) => f.section === 'video');
    for (const route of ['direct', 'relay only']) {
      for (const side of ['customer', 'rep']) {
        const f = video.find((v) => v.name === `Next Customer → first remote frame, ${route}, ${side} side`);
        expect(f?.samples).toHaveLength(2);
        expect(f?.goal?.atMost).toBe(route === 'direct' ? 1500 : 2000);
        // "Always": the goal is judged on the slowest call.
        expect(f?.met).toBe((f?.max ?? Infinity) <= (f?.goal?.atMost ?? 0));
      }
    }
    expect(video.filter((f) => f.name.startsWith('customer reloads → video back'))).toHaveLength(2);
  });

  it('should give the error of the wait estimates beside the estimate of before, for each simulated staffing', () => {
    const errors = result.figures.filter((f) => f.section === 'estimates' && f.name.startsWith('wait estimate, median absolute error'));
    const before = result.figures.filter((f) => f.section === 'estimates' && f.name.startsWith('the estimate of before'));
    expect(errors).toHaveLength(3);
    expect(before).toHaveLength(3);
    for (const f of errors) expect(f.note).toMatch(/^seed \d+$/);
  });

  it('should print the table with a goal line', () => {
    expect(stdout).toMatch(/\| section +\| figure +\| median/);
    expect(stdout).toMatch(/\d+ of \d+ goals met/);
  });
});
