import { chooseSeed, seededRandom } from '@servicekit/tools/testing';
import { simulateWaits } from '../testing';
import { estimateWait } from './wait-estimate';

const MINUTE = 60_000;

describe('estimateWait', () => {
  it('should give no estimate, with the reason, when no rep is online', () => {
    expect(estimateWait(1, { repsOnline: 0, repsBusy: 0 }, 5 * MINUTE)).toEqual({ estimatedWaitMs: null, estimateReason: 'no_rep_online' });
  });

  it('should say no wait when a rep is free for this place', () => {
    expect(estimateWait(2, { repsOnline: 3, repsBusy: 1 }, 5 * MINUTE)).toEqual({ estimatedWaitMs: 0 });
  });

  it('should grow with the place and shrink with the reps online', () => {
    const one = estimateWait(3, { repsOnline: 1, repsBusy: 1 }, 6 * MINUTE).estimatedWaitMs ?? 0;
    const three = estimateWait(3, { repsOnline: 3, repsBusy: 3 }, 6 * MINUTE).estimatedWaitMs ?? 0;
    // One busy rep: 3/4 of a call, then two more calls. Three busy reps: a quarter call, then 2/3 call.
    expect(one).toBe(4.5 * MINUTE + 12 * MINUTE);
    expect(three).toBe(1.5 * MINUTE + 4 * MINUTE);
  });
});

const seed = chooseSeed(__filename);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describe(`honest estimates on a simulated clock (seed ${seed})`, () => {
  it.each([
    [1, 0.7],
    [3, 0.7],
    [3, 0.9],
    [8, 0.5],
    [8, 0.9],
  ])('should estimate closer than before with %i reps at load %d, and print the median absolute error', async (reps, load) => {
    const result = await simulateWaits(seededRandom(seed + reps * 10 + load * 10), reps, load, 3000);
    process.stdout.write(
      `wait estimates, ${reps} rep(s), 3000 customers, load ${load}: median absolute error ${seconds(result.median)} ` +
        `(before: ${seconds(result.oldMedian)}); median wait ${seconds(result.medianWait)}, mean wait ${seconds(result.mean)}\n`,
    );
    expect(Number.isFinite(result.median)).toBe(true);
    expect(result.median).toBeLessThan(result.oldMedian);
  });
});
