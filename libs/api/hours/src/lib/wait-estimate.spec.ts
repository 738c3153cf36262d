import { ServiceKitConfig, loadServiceKitConfig } from '@servicekit/api/config';
import { HelpQueue } from '@servicekit/api/queue';
import { InMemoryStore } from '@servicekit/api/store';
import { chooseSeed, seededRandom, type SeededRandom } from '@servicekit/tools/testing';
import { IntakeRecords } from './intake.records';
import { IntakeService } from './intake.service';
import { SettableStaffFigures } from '../testing';
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

/** Draws from an exponential distribution with the given mean, from the seeded stream. */
const exponential = (random: SeededRandom, mean: number) => -Math.log(random.integer(1, 1_000_000) / 1_000_001) * mean;
/** Call lengths: a gamma of shape 2 (the sum of two exponentials), spread like real support calls. */
const callLength = (random: SeededRandom, mean: number) => exponential(random, mean / 2) + exponential(random, mean / 2);

interface Waiter {
  arrivedAt: number;
  estimate: number;
  oldEstimate: number;
}

interface Call {
  startedAt: number;
  endsAt: number;
}

/**
 * A day of a contact centre on a simulated clock: customers arrive at random, `reps` reps take them in FIFO
 * order, calls take a random time. Each arrival gets the estimate the API gives (IntakeService on an
 * InMemoryStore with the simulated clock, handling times measured as calls end); the wait that followed is
 * then known. The estimate of before (position × measured time between claims) runs beside it.
 */
async function simulate(random: SeededRandom, reps: number, load: number, customers: number) {
  let now = Date.UTC(2026, 0, 14, 8);
  const store = new InMemoryStore({ now: () => now });
  const figures = new SettableStaffFigures();
  const intake = new IntakeService(loadServiceKitConfig({}) as ServiceKitConfig, new IntakeRecords(store), new HelpQueue(store), figures, {
    figuresCacheMs: 0,
  });
  const meanHandling = 6 * MINUTE;
  const meanGap = meanHandling / reps / load;

  const queue: Waiter[] = [];
  const calls: Call[] = [];
  const errors: number[] = [];
  const oldErrors: number[] = [];
  const waits: number[] = [];
  let claimInterval = MINUTE;
  let lastClaim: number | null = null;
  let nextArrival = now;
  let arrived = 0;

  const take = (waiter: Waiter) => {
    const wait = now - waiter.arrivedAt;
    waits.push(wait);
    errors.push(Math.abs(waiter.estimate - wait));
    oldErrors.push(Math.abs(waiter.oldEstimate - wait));
    if (lastClaim !== null && now > lastClaim) claimInterval = 0.8 * claimInterval + 0.2 * Math.min(now - lastClaim, 10 * MINUTE);
    lastClaim = now;
    calls.push({ startedAt: now, endsAt: now + Math.max(30_000, callLength(random, meanHandling)) });
  };

  while (arrived < customers || queue.length > 0) {
    calls.sort((a, b) => a.endsAt - b.endsAt);
    const ending = calls[0];
    if (arrived < customers && (!ending || nextArrival <= ending.endsAt)) {
      now = nextArrival;
      figures.load = { repsOnline: reps, repsBusy: calls.length };
      const position = queue.length + 1;
      const estimate = (await intake.estimate(position)).estimatedWaitMs ?? Number.NaN;
      const waiter = { arrivedAt: now, estimate, oldEstimate: position * claimInterval };
      arrived++;
      nextArrival = now + exponential(random, meanGap);
      if (calls.length < reps) take(waiter);
      else queue.push(waiter);
      continue;
    }
    if (!ending) break;
    calls.shift();
    now = ending.endsAt;
    await intake.handled(ending.endsAt - ending.startedAt);
    const next = queue.shift();
    if (next) take(next);
  }
  return {
    median: median(errors),
    oldMedian: median(oldErrors),
    medianWait: median(waits),
    mean: waits.reduce((a, b) => a + b, 0) / waits.length,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

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
    const result = await simulate(seededRandom(seed + reps * 10 + load * 10), reps, load, 3000);
    process.stdout.write(
      `wait estimates, ${reps} rep(s), 3000 customers, load ${load}: median absolute error ${seconds(result.median)} ` +
        `(before: ${seconds(result.oldMedian)}); median wait ${seconds(result.medianWait)}, mean wait ${seconds(result.mean)}\n`,
    );
    expect(Number.isFinite(result.median)).toBe(true);
    expect(result.median).toBeLessThan(result.oldMedian);
  });
});
