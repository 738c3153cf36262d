import { randomInt } from 'node:crypto';
import { relative } from 'node:path';
import { gen, integer, noBias, sample } from 'fast-check';

/** The environment variable that replays a run: `TEST_SEED=123 npm test -- path/to/x.spec.ts`. */
export const SEED_VARIABLE = 'TEST_SEED';

/** Random decisions for a test, all from one seed, so that a failing run can be replayed exactly. */
export interface SeededRandom {
  readonly seed: number;
  /** A whole number from `min` to `max`, both included, uniformly. */
  integer(min: number, max: number): number;
  /** True with the given probability (0 to 1). */
  chance(probability: number): boolean;
}

const MAX_SEED = 2 ** 31 - 1;

/**
 * The seed for this run of a test file: TEST_SEED when it is set (to replay a run), else a fresh one. Prints
 * the seed and the command that replays it at once; put the seed in the suite's title too, so that it is in
 * every failure report.
 */
export function chooseSeed(testFile: string, env: NodeJS.ProcessEnv = process.env): number {
  const given = env[SEED_VARIABLE]?.trim();
  if (given && !(/^\d+$/.test(given) && Number(given) <= MAX_SEED)) {
    throw new Error(`${SEED_VARIABLE} must be a whole number from 0 to ${MAX_SEED} (got "${given}").`);
  }
  const seed = given ? Number(given) : randomInt(MAX_SEED + 1);
  const file = relative(process.cwd(), testFile);
  process.stdout.write(`${file}: random seed ${seed}; replay with ${SEED_VARIABLE}=${seed} npm test -- ${file}\n`);
  return seed;
}

/** A deterministic stream of decisions: the same seed and the same calls give the same answers. */
export function seededRandom(seed: number): SeededRandom {
  // fast-check's generator, without its bias towards edge values: these are draws, not test cases.
  const [draw] = sample(gen(), { seed, numRuns: 1 });
  if (!draw) throw new Error('fast-check gave no generator.');
  const uniform = (min: number, max: number) => noBias(integer({ min, max }));
  return {
    seed,
    integer: (min, max) => draw(uniform, min, max),
    chance: (probability) => draw(uniform, 0, 999_999) < probability * 1_000_000,
  };
}
