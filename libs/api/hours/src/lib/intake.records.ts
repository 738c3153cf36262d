import { Injectable } from '@nestjs/common';
import { KeyValueStore } from '@servicekit/api/store';

/** The longest one measured call may count (a call left open overnight must not wreck the estimates). */
const MAX_HANDLING_SAMPLE_MS = 60 * 60_000;
const HANDLING_TTL = 30 * 24 * 60 * 60;

/**
 * The store keys of intake, and only these:
 *   in:paused      an operator paused intake: `{until}`; the key's TTL ends the pause by itself
 *   est:handling   measured handling time per customer (claim to end), exponentially weighted, in ms
 * No personal data.
 */
@Injectable()
export class IntakeRecords {
  constructor(private readonly store: KeyValueStore) {}

  async pause(until: number, now: number): Promise<void> {
    await this.store.set('in:paused', JSON.stringify({ until }), Math.max(1, Math.ceil((until - now) / 1000)));
  }

  async resume(): Promise<void> {
    await this.store.delete('in:paused');
  }

  /** When the pause ends, or null when intake is not paused. */
  async pausedUntil(now: number): Promise<number | null> {
    const raw = await this.store.get('in:paused');
    if (raw === null) return null;
    const until = Number((JSON.parse(raw) as { until?: unknown }).until);
    return Number.isFinite(until) && until > now ? until : null;
  }

  /** One call ended after `ms` from claim to end. Concurrent writers may lose a sample: an average survives it. */
  async recordHandling(ms: number, defaultMs: number): Promise<void> {
    const sample = Math.min(Math.max(0, ms), MAX_HANDLING_SAMPLE_MS);
    const previous = await this.handlingMs();
    const next = previous === null ? sample : 0.8 * previous + 0.2 * sample;
    await this.store.set('est:handling', String(Math.round(next || defaultMs)), HANDLING_TTL);
  }

  /** The measured handling time, null before the first call ended. */
  async handlingMs(): Promise<number | null> {
    const value = Number(await this.store.get('est:handling'));
    return Number.isFinite(value) && value > 0 ? value : null;
  }
}
