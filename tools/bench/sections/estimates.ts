import { simulateWaits } from '@servicekit/api/hours/testing';
import { chooseSeed, seededRandom } from '@servicekit/tools/testing';
import { figure, Figure } from '../report';
import type { BenchOptions } from '../options';

/** Staffing and load (arrival rate ÷ what the reps can serve) of the simulated days. */
const SCENARIOS = [
  { reps: 1, load: 0.7 },
  { reps: 3, load: 0.9 },
  { reps: 8, load: 0.9 },
] as const;

const seconds = (ms: number) => ms / 1000;

/**
 * Honest waits (issue 17): the estimate each arriving customer is given by the API's IntakeService, against
 * the wait that followed, on a simulated clock (a day of random arrivals and call lengths, FIFO, handling times
 * measured as calls end). The figure is the median absolute error, beside the estimate of before (position ×
 * time between claims). Each repeat is another seeded day; the seed is printed so a run can be replayed.
 */
export async function estimatesSection(options: BenchOptions): Promise<Figure[]> {
  const customers = options.quick ? 500 : 3000;
  const seed = chooseSeed(__filename);
  const figures: Figure[] = [];
  for (const { reps, load } of SCENARIOS) {
    const now: number[] = [];
    const before: number[] = [];
    for (let repeat = 0; repeat < options.repeats; repeat++) {
      const result = await simulateWaits(seededRandom(seed + repeat * 1000 + reps * 10 + load * 10), reps, load, customers);
      now.push(seconds(result.median));
      before.push(seconds(result.oldMedian));
    }
    const where = `${reps} rep${reps === 1 ? '' : 's'}, load ${load}, ${customers} customers`;
    figures.push(
      figure('estimates', `wait estimate, median absolute error (${where})`, 's', now, null, `seed ${seed}`),
      figure('estimates', `the estimate of before, same days (${where})`, 's', before),
    );
  }
  return figures;
}
