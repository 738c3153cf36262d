/**
 * The seed of a fuzz run: FUZZ_SEED when given (to replay a failure), otherwise a fresh one. Printed at the
 * start of every run, and fast-check prints it again with the failing case.
 */
export function fuzzSeed(): number {
  const given = process.env['FUZZ_SEED'];
  if (given !== undefined && given.trim() !== '') {
    const seed = Number(given);
    if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer (got "${given}").`);
    return seed;
  }
  return Date.now() % 2 ** 31;
}

export function replayHint(suite: string, seed: number): string {
  return `Replay with: FUZZ_SEED=${seed} npx jest -c apps/e2e/jest.config.cts apps/e2e/src/hardening/${suite}.spec.ts`;
}

/** How many cases a property runs: `minimum`, or FUZZ_RUNS when it asks for more (a longer hunt). */
export function fuzzRuns(minimum: number): number {
  const given = Number(process.env['FUZZ_RUNS'] ?? '');
  return Number.isInteger(given) && given > minimum ? given : minimum;
}
