import { ServiceKitConfig, loadServiceKitConfig } from '@servicekit/api/config';
import { HelpQueue } from '@servicekit/api/queue';
import { InMemoryStore } from '@servicekit/api/store';
import type { SeededRandom } from '@servicekit/tools/testing';
import { IntakeRecords } from '../lib/intake.records';
import { IntakeService } from '../lib/intake.service';
import { SettableStaffFigures } from './staff-figures.double';

const MINUTE = 60_000;

/** Milliseconds: medians over every customer of the run. */
export interface WaitSimulation {
  /** The median absolute error of the estimate each customer was given, against the wait that followed. */
  median: number;
  /** The same for the estimate of before. */
  oldMedian: number;
  medianWait: number;
  mean: number;
}

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
 * then known. The estimate of before (position × measured time between claims) runs beside it. Used by the
 * unit test (estimates closer than before) and by `npm run bench` (the error figure).
 */
export async function simulateWaits(random: SeededRandom, reps: number, load: number, customers: number): Promise<WaitSimulation> {
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
