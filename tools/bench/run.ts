/**
 * npm run bench: the place where performance is shown. Runs the sections against the built API (black-box:
 * real processes, memcached's own counters, /proc), prints one table and writes tmp/bench.json.
 * BENCH_QUICK=1 for small sizes; BENCH_ONLY=http,depth,... for some sections. See docs/performance.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { BenchOptions, readOptions, SectionName, SECTIONS } from './options';
import { CLOCK_TICKS } from './probe';
import { BenchResult, Figure, Skipped, table } from './report';
import { depthSection } from './sections/depth';
import { estimatesSection } from './sections/estimates';
import { frontendsSection } from './sections/frontends';
import { httpSection } from './sections/http';
import { matchSection } from './sections/match';
import { presenceSection } from './sections/presence';
import { queueSection } from './sections/queue';
import { videoSection } from './sections/video';

const RUNNERS: Record<SectionName, (options: BenchOptions) => Promise<Figure[] | Skipped>> = {
  http: httpSection,
  depth: depthSection,
  presence: presenceSection,
  match: matchSection,
  queue: queueSection,
  estimates: estimatesSection,
  video: videoSection,
  frontends: frontendsSection,
};

function write(out: string, result: BenchResult): void {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
}

async function main() {
  const options = readOptions(process.env, join(__dirname, '../../tmp/bench.json'));
  const started = performance.now();
  const result: BenchResult = {
    startedAt: new Date().toISOString(),
    quick: options.quick,
    durationS: 0,
    machine: { cpus: cpus().length, node: process.version, clockTicks: CLOCK_TICKS },
    sections: [],
    figures: [],
    skipped: [],
  };
  for (const section of SECTIONS) {
    if (options.only && !options.only.includes(section)) continue;
    const sectionStarted = performance.now();
    console.log(`bench: ${section}…`);
    const outcome = await RUNNERS[section](options);
    if (Array.isArray(outcome)) result.figures.push(...outcome);
    else result.skipped.push(outcome);
    result.sections.push(section);
    console.log(`bench: ${section} took ${((performance.now() - sectionStarted) / 1000).toFixed(0)} s`);
    // Written after every section, so a run stopped half-way keeps what it measured.
    result.durationS = (performance.now() - started) / 1000;
    write(options.out, result);
  }
  result.durationS = (performance.now() - started) / 1000;
  write(options.out, result);
  const met = result.figures.filter((f) => f.met === true).length;
  const goals = result.figures.filter((f) => f.met !== null).length;
  console.log(`\n${table(result)}\n`);
  console.log(
    `${met} of ${goals} goals met. ${result.durationS.toFixed(0)} s${options.quick ? ' (BENCH_QUICK)' : ''}. Written to ${options.out}`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
