import type { WaitEstimate } from '@servicekit/contracts';

/** Before any call was measured: a typical support call. */
export const DEFAULT_HANDLING_MS = 5 * 60_000;

export interface RepLoadNow {
  repsOnline: number;
  repsBusy: number;
}

/**
 * How long the customer at `position` (1 is next) will wait, from the reps online now and the measured
 * handling time per customer:
 * - no rep online: no estimate (null and the reason), never a made-up one;
 * - a free rep for this position: no wait;
 * - otherwise the first of the busy reps frees up after about 3/4 of a call / busy (the rest of a call in
 *   progress, for calls whose length varies about as much as support calls do: a gamma of shape 2), and
 *   every further customer ahead costs handling / reps.
 */
export function estimateWait(position: number, load: RepLoadNow, handlingMs: number): WaitEstimate {
  const reps = load.repsOnline;
  if (reps <= 0) return { estimatedWaitMs: null, estimateReason: 'no_rep_online' };
  const busy = Math.min(reps, Math.max(0, load.repsBusy));
  const free = reps - busy;
  const behindBusy = position - free;
  if (behindBusy <= 0) return { estimatedWaitMs: 0 };
  const first = (0.75 * handlingMs) / Math.max(1, busy);
  return { estimatedWaitMs: Math.round(first + ((behindBusy - 1) * handlingMs) / reps) };
}
