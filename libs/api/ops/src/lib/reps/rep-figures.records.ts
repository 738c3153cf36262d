import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KeyValueStore } from '@servicekit/api/store';

const CALL_TTL = 3 * 60 * 60;
const DAY_TTL = 2 * 24 * 60 * 60;

/**
 * Per-rep figures for supervisors, and only these store keys:
 *   rc:{repId}                 the call the rep is in: since when, and the rep's account
 *   rd:{yyyymmdd}:{account}:n  calls the account finished that day (UTC)
 *   rd:{yyyymmdd}:{account}:ms their total handle time (a call's start, both media up, to its end)
 * Accounts appear as a short hash (a passcode account carries the name typed). Day counters live two days.
 */
@Injectable()
export class RepFigures {
  constructor(private readonly store: KeyValueStore) {}

  async callStarted(repId: string, account: string, now = Date.now()): Promise<void> {
    await this.store.set(callKey(repId), JSON.stringify({ since: now, account }), CALL_TTL);
  }

  /** The call is over: counted for the rep's account today when it had started. */
  async callEnded(repId: string, now = Date.now()): Promise<void> {
    const raw = await this.store.get(callKey(repId));
    if (raw === null) return;
    await this.store.delete(callKey(repId));
    const { since, account } = JSON.parse(raw) as { since: number; account: string };
    const day = dayOf(now);
    await Promise.all([
      this.store.increment(dayKey(day, account, 'n'), 1, { initial: 1, ttlSeconds: DAY_TTL }),
      this.store.increment(dayKey(day, account, 'ms'), Math.max(0, now - since), {
        initial: Math.max(0, now - since),
        ttlSeconds: DAY_TTL,
      }),
    ]);
  }

  /** A reservation that never became a call (no-show, handed back). */
  async callDropped(repId: string): Promise<void> {
    await this.store.delete(callKey(repId));
  }

  /** Since when the rep is in a call, or null. */
  async callSince(repId: string): Promise<number | null> {
    const raw = await this.store.get(callKey(repId));
    return raw === null ? null : (JSON.parse(raw) as { since: number }).since;
  }

  async today(account: string, now = Date.now()): Promise<{ calls: number; meanHandleMs: number | null }> {
    const day = dayOf(now);
    const [n, ms] = await Promise.all([this.store.get(dayKey(day, account, 'n')), this.store.get(dayKey(day, account, 'ms'))]);
    const calls = Number(n?.trim() ?? 0);
    return { calls, meanHandleMs: calls > 0 ? Math.round(Number(ms?.trim() ?? 0) / calls) : null };
  }
}

const callKey = (repId: string) => `rc:${repId}`;
const dayKey = (day: string, account: string, part: 'n' | 'ms') =>
  `rd:${day}:${createHash('sha256').update(account).digest('base64url').slice(0, 16)}:${part}`;
const dayOf = (now: number) => new Date(now).toISOString().slice(0, 10).replace(/-/g, '');
