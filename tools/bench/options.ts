/** What a run measures, from the environment (read once, here). */
export interface BenchOptions {
  /** BENCH_QUICK=1: small sizes and short windows, to develop the bench and to prove it runs. */
  quick: boolean;
  repeats: number;
  /** BENCH_ONLY=http,depth,...: the sections to run; all when unset. */
  only: string[] | null;
  /** BENCH_OUT: where the JSON goes (default tmp/bench.json). */
  out: string;
}

/** In running order: the longest (presence at 10,000 sockets) last. */
export const SECTIONS = ['http', 'depth', 'match', 'queue', 'estimates', 'video', 'frontends', 'presence'] as const;
export type SectionName = (typeof SECTIONS)[number];

export function readOptions(env: NodeJS.ProcessEnv, defaultOut: string): BenchOptions {
  const only = env['BENCH_ONLY']
    ? env['BENCH_ONLY']
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : null;
  const unknown = (only ?? []).filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY names unknown sections: ${unknown.join(', ')}. Known: ${SECTIONS.join(', ')}.`);
  return { quick: env['BENCH_QUICK'] === '1', repeats: 3, only, out: env['BENCH_OUT'] || defaultOut };
}

/** A progress line on stderr (the table goes to stdout). */
export function progress(message: string): void {
  process.stderr.write(`  ${new Date().toISOString().slice(11, 19)} ${message}\n`);
}
