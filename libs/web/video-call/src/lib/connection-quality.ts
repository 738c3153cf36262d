import { DestroyRef, effect, inject, signal, type Signal } from '@angular/core';
import type { VideoCall, VideoCallState } from './video-call';

/** What the connection indicator shows: good, weak (loss or delay the person will notice), or reconnecting. */
export type ConnectionQuality = 'good' | 'weak' | 'reconnecting';

/** The figures of one `getStats()` reading that the indicator needs. */
export interface ConnectionSample {
  /** State of the selected candidate pair; null when none is selected (yet, or any more). */
  readonly pairState: string | null;
  /** Round-trip time of the selected pair in ms, when measured. */
  readonly rttMs: number | null;
  /** Totals over every inbound RTP stream since the call started. */
  readonly packetsReceived: number;
  readonly packetsLost: number;
}

/** Above these a call is weak: about where people start to notice talking over each other, or frozen frames. */
export const WEAK_RTT_MS = 400;
export const WEAK_LOSS_RATIO = 0.05;

type Stat = Record<string, unknown> & { id: string; type: string };

/** Reads the selected candidate pair (via the transport, or the pair flagged `selected`/nominated) and inbound RTP totals. */
export function readConnectionSample(report: RTCStatsReport): ConnectionSample {
  const stats: Stat[] = [];
  report.forEach((entry: Stat) => stats.push(entry));
  const transport = stats.find((s) => s.type === 'transport' && typeof s['selectedCandidatePairId'] === 'string');
  const pair =
    stats.find((s) => s.id === transport?.['selectedCandidatePairId']) ??
    stats.find((s) => s.type === 'candidate-pair' && (s['selected'] === true || (s['nominated'] === true && s['state'] === 'succeeded')));
  const rtt = pair?.['currentRoundTripTime'];
  let packetsReceived = 0;
  let packetsLost = 0;
  for (const s of stats) {
    if (s.type !== 'inbound-rtp') continue;
    packetsReceived += numberOr(s['packetsReceived'], 0);
    packetsLost += Math.max(0, numberOr(s['packetsLost'], 0));
  }
  return {
    pairState: typeof pair?.['state'] === 'string' ? pair['state'] : null,
    rttMs: typeof rtt === 'number' ? Math.round(rtt * 1000) : null,
    packetsReceived,
    packetsLost,
  };
}

/**
 * The quality now, from the call's state and two readings in a row (loss is counted between them, so an
 * early burst does not mark the rest of the call weak). Without statistics the state alone decides.
 */
export function connectionQuality(
  state: VideoCallState,
  previous: ConnectionSample | null,
  current: ConnectionSample | null,
): ConnectionQuality {
  if (state === 'reconnecting' || state === 'failed') return 'reconnecting';
  if (!current) return state === 'connected' ? 'good' : 'reconnecting';
  if (current.pairState !== 'succeeded') return 'reconnecting';
  if (current.rttMs !== null && current.rttMs > WEAK_RTT_MS) return 'weak';
  const received = current.packetsReceived - (previous?.packetsReceived ?? 0);
  const lost = current.packetsLost - (previous?.packetsLost ?? 0);
  if (received + lost > 0 && lost / (received + lost) > WEAK_LOSS_RATIO) return 'weak';
  return 'good';
}

/**
 * Watches the call's statistics every `intervalMs` while there is a call (call it in an injection context:
 * it stops with its component or service). Null while there is no call.
 */
export function watchConnectionQuality(call: Signal<VideoCall | null>, intervalMs = 2000): Signal<ConnectionQuality | null> {
  const quality = signal<ConnectionQuality | null>(null);
  let timer: ReturnType<typeof setInterval> | null = null;
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  effect(() => {
    const current = call();
    stop();
    quality.set(current ? connectionQuality(current.state(), null, null) : null);
    if (!current) return;
    let previous: ConnectionSample | null = null;
    const sample = async () => {
      const report = await current.stats().catch(() => null);
      if (call() !== current) return;
      const reading = report ? readConnectionSample(report) : null;
      quality.set(connectionQuality(current.state(), previous, reading));
      previous = reading;
    };
    timer = setInterval(() => void sample(), intervalMs);
    void sample();
  });
  inject(DestroyRef).onDestroy(stop);
  return quality.asReadonly();
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
