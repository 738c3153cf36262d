import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { UnauthenticatedError } from '@servicekit/api/errors';
import { KeyValueStore } from '@servicekit/api/store';
import { REP_SESSION_END_NOTICES } from '@servicekit/contracts';
import { RepSessionEnd, RepSessionRecord, RepSignInMethod, RepSignOuts, SignedInRep } from './rep-session';

const COUNTER_TTL = 30 * 24 * 60 * 60;
/** How long a console that comes back after its session ended is told why (then: "signed out after inactivity"). */
const END_MARKER_TTL = 60 * 60;
/** Activity renews the session at most this often, so that a busy console costs few store writes. */
const RENEW_AT_MOST_EVERY_MS = 60_000;
/** The listing never advances its low mark past the newest sequence numbers: their records may be in flight. */
const LOW_MARK_MARGIN = 64;
/** The listing reads at most this many sequence numbers (the newest). */
const LIST_WINDOW = 5000;
const LIST_BATCH = 200;

const REP_ID = /^rep_(\d{1,10})_[A-Za-z0-9_-]{16}$/;

/**
 * Rep sessions, one per sign-in, and only these store keys:
 *   rs:n          the sequence counter (each session takes the next number)
 *   rs:low        the lowest number that may still be live (the listing moves it up)
 *   rs:{n}        the session record (RepSessionRecord); its TTL is the idle timeout (REP_IDLE_TIMEOUT_MS),
 *                 never past the absolute end (REP_SESSION_MAX_MS), renewed by activity at most once a minute
 *   rs:{n}:end    why it ended early (signed out, by a supervisor), for an hour
 * The rep's id is `rep_{n}_{random}`: the number finds the record, the random part must match it. Ending a
 * session deletes its record, so every instance refuses its token at once; the RepSignOuts port closes the
 * rep's sockets wherever they are. Renewal uses `replace`, which never brings a deleted record back.
 */
@Injectable()
export class RepSessions {
  private readonly logger = new Logger(RepSessions.name);
  private readonly idleMs: number;
  private readonly maxMs: number;
  private readonly renewEveryMs: number;

  constructor(
    private readonly store: KeyValueStore,
    private readonly signOuts: RepSignOuts,
    config: ServiceKitConfig,
  ) {
    this.idleMs = config.repIdleTimeoutMs;
    this.maxMs = config.repSessionMaxMs;
    this.renewEveryMs = Math.min(RENEW_AT_MOST_EVERY_MS, Math.floor(this.idleMs / 4));
  }

  /** A new session for someone who just proved who they are. */
  async start(who: Omit<SignedInRep, 'repId'>, via: RepSignInMethod, idToken?: string, now = Date.now()): Promise<RepSessionRecord> {
    for (;;) {
      const n = await this.store.increment(COUNTER_KEY, 1, { initial: 1, ttlSeconds: COUNTER_TTL });
      const record: RepSessionRecord = {
        repId: `rep_${n}_${randomBytes(12).toString('base64url')}`,
        name: who.name,
        account: who.account,
        roles: [...who.roles],
        via,
        startedAt: now,
        seenAt: now,
        expiresAt: now + this.maxMs,
        ...(idToken ? { idToken } : {}),
      };
      // `add`: should the counter ever restart (its TTL) while an old session still lives, never overwrite it.
      if (await this.store.add(recordKey(n), JSON.stringify(record), this.ttlSeconds(record, now))) return record;
    }
  }

  /**
   * The live session of this rep id, renewed when due; otherwise UnauthenticatedError saying why it ended
   * (signed out, by a supervisor, idle). Every authenticated rep request and socket handshake asks this.
   */
  async check(repId: string, now = Date.now()): Promise<RepSessionRecord> {
    const n = sequenceOf(repId);
    const record = n === null ? null : await this.read(n);
    if (n === null || !record || record.repId !== repId) throw await this.endedError(repId, n);
    if (now >= record.expiresAt) throw new UnauthenticatedError('Your sign-in has expired. Please sign in again.');
    if (now - record.seenAt > this.idleMs) {
      await this.store.delete(recordKey(n));
      throw new UnauthenticatedError(REP_SESSION_END_NOTICES.idle);
    }
    if (now - record.seenAt >= this.renewEveryMs) {
      const renewed = { ...record, seenAt: now };
      await this.store.replace(recordKey(n), JSON.stringify(renewed), this.ttlSeconds(renewed, now));
      return renewed;
    }
    return record;
  }

  /** The session, if it is live, without renewing it (for supervisors' views). */
  async find(repId: string): Promise<RepSessionRecord | null> {
    const n = sequenceOf(repId);
    const record = n === null ? null : await this.read(n);
    return record && record.repId === repId ? record : null;
  }

  /**
   * Ends the session everywhere: its token is refused from now on, by every instance, and the rep's open
   * consoles are told why and closed. False when it had already ended.
   */
  async end(repId: string, reason: RepSessionEnd): Promise<boolean> {
    const n = sequenceOf(repId);
    if (n === null) return false;
    const record = await this.read(n);
    if (!record || record.repId !== repId) return false;
    await this.store.set(endKey(n), JSON.stringify({ repId, reason }), END_MARKER_TTL);
    const ended = await this.store.delete(recordKey(n));
    await this.signOuts.signedOut(repId, reason).catch((error: unknown) => {
      this.logger.warn(`The consoles of an ended rep session could not be told: ${(error as Error).message}`);
    });
    return ended;
  }

  /**
   * The sessions live now, oldest first: every number from the low mark to the counter, read in batches.
   * Costs one read per session signed in and not yet ended or timed out.
   */
  async live(now = Date.now()): Promise<RepSessionRecord[]> {
    const [rawCounter, rawLow] = await Promise.all([this.store.get(COUNTER_KEY), this.store.get(LOW_KEY)]);
    const last = Number(rawCounter?.trim() ?? 0);
    let low = Math.max(1, Number(rawLow ?? 1), last - LIST_WINDOW + 1);
    if (low > last) low = 1;
    const live: { n: number; record: RepSessionRecord }[] = [];
    for (let from = low; from <= last; from += LIST_BATCH) {
      const numbers = Array.from({ length: Math.min(LIST_BATCH, last - from + 1) }, (_, i) => from + i);
      const records = await Promise.all(numbers.map((n) => this.read(n)));
      records.forEach((record, i) => {
        if (record && now < record.expiresAt && now - record.seenAt <= this.idleMs) live.push({ n: numbers[i] ?? 0, record });
      });
    }
    // Everything below the first live session has ended for good (numbers are never reused while live).
    const firstLive = live[0]?.n ?? last + 1;
    const mark = Math.min(firstLive, last - LOW_MARK_MARGIN);
    if (mark > low) await this.store.set(LOW_KEY, String(mark), COUNTER_TTL);
    return live.map(({ record }) => record);
  }

  private async read(n: number): Promise<RepSessionRecord | null> {
    const raw = await this.store.get(recordKey(n));
    return raw === null ? null : (JSON.parse(raw) as RepSessionRecord);
  }

  private async endedError(repId: string, n: number | null): Promise<UnauthenticatedError> {
    const raw = n === null ? null : await this.store.get(endKey(n));
    const marker = raw === null ? null : (JSON.parse(raw) as { repId: string; reason: RepSessionEnd });
    return new UnauthenticatedError(REP_SESSION_END_NOTICES[marker && marker.repId === repId ? marker.reason : 'idle']);
  }

  private ttlSeconds(record: RepSessionRecord, now: number): number {
    return Math.max(2, Math.ceil(Math.min(this.idleMs, record.expiresAt - now) / 1000) + 1);
  }
}

const COUNTER_KEY = 'rs:n';
const LOW_KEY = 'rs:low';
const recordKey = (n: number) => `rs:${n}`;
const endKey = (n: number) => `rs:${n}:end`;

function sequenceOf(repId: string): number | null {
  const match = REP_ID.exec(repId);
  return match ? Number(match[1]) : null;
}
