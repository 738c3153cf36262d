import { Logger } from '@nestjs/common';
import { KeyValueStore } from '@servicekit/api/store';

/** Work that falls due at `at` (ms since the epoch). Ids only: entries sit in the store. */
export interface DueEntry {
  at: number;
}

export interface DueListOptions<T extends DueEntry> {
  /** The owner's short name in the keys (`due:{name}:…`): a few letters. */
  name: string;
  /**
   * Does the work of one entry once it is due. Every instance that sweeps calls it (and a restarted one may
   * call it again), so it must be idempotent: the owners decide each outcome once, by `add`. A thrown error
   * is retried on the next sweeps.
   */
  handle: (entry: T) => Promise<void>;
  /** Width of a bucket (default 250 ms): work is done at most this long plus one sweep after it falls due. */
  bucketMs?: number;
  /** How often this instance sweeps (default 100 ms); a sweep with no bucket to read costs no store call. */
  sweepMs?: number;
  /** The clock in ms (default Date.now). */
  now?: () => number;
}

/** What this instance has seen of one bucket it has not finished. */
interface OpenBucket {
  /** The bucket's counter as last read: every entry up to it is known. */
  read: number;
  /** How often the counter was read: once when the bucket closed, once more when it settled. */
  reads: number;
  /** Known entries not handled yet. */
  pending: Set<number>;
}

/** How long entries, counters and the sweep hint outlive their bucket: the longest outage a restart catches up on. */
const RETAIN_MS = 10 * 60_000;
/** After its bucket closed, how long the counter is still read: covers a writer between increment and close. */
const SETTLE_MS = 500;
/** An entry counted but never written (its writer died between increment and set) is given up after this. */
const MISSING_GIVE_UP_MS = 2_000;
/** An entry whose work keeps failing is given up after this (the owners' records expire in the end). */
const FAILING_GIVE_UP_MS = 60_000;
const PARALLEL = 32;
const HINT_EVERY_MS = 1_000;

/**
 * Work due at a time, kept in the store so that any instance does it: a time-bucketed list of entries, each
 * bucket a counter and numbered entries, as the queue's lanes are (no CAS needed). Every instance sweeps the
 * buckets that have closed, reading each bucket's counter twice (when it closes, and once it settled), and
 * hands each entry to `handle`; so the work is done
 * whatever happened to the instance that scheduled it (SIGKILL, a graceful stop that cleared its timers, a
 * client that moved elsewhere). A shared hint says where the sweeps have got to, so that an instance that
 * starts after all others stopped catches up on what fell due meanwhile.
 *
 * Owns the store keys `due:{name}:{bucket}:n` (counter), `due:{name}:{bucket}:{i}` (entries) and
 * `due:{name}:swept` (the hint: the first bucket not finished yet).
 */
export class DueList<T extends DueEntry> {
  private readonly logger: Logger;
  private readonly bucketMs: number;
  private readonly sweepMs: number;
  private readonly now: () => number;
  private readonly open = new Map<number, OpenBucket>();
  /** The first bucket this instance has not finished; null until started. */
  private next: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;
  private failing = false;
  private hintWrittenAt = 0;

  constructor(
    private readonly store: KeyValueStore,
    private readonly options: DueListOptions<T>,
  ) {
    this.logger = new Logger(`DueList(${options.name})`);
    this.bucketMs = options.bucketMs ?? 250;
    this.sweepMs = options.sweepMs ?? 100;
    this.now = options.now ?? Date.now;
  }

  /** Adds work due at `entry.at`: two store calls. Work already due is done at the next sweeps. */
  async schedule(entry: T): Promise<void> {
    const now = this.now();
    const bucket = Math.max(this.bucketOf(entry.at), this.bucketOf(now));
    const ttl = Math.ceil(((bucket + 1) * this.bucketMs - now + RETAIN_MS) / 1000);
    const n = await this.store.increment(this.counterKey(bucket), 1, { initial: 1, ttlSeconds: ttl });
    await this.store.set(this.entryKey(bucket, n), JSON.stringify(entry), ttl);
  }

  /** Starts sweeping, from where the sweeps of all instances got to (at most RETAIN_MS back). */
  async start(): Promise<void> {
    if (this.timer) return;
    const current = this.bucketOf(this.now());
    const oldest = current - Math.ceil(RETAIN_MS / this.bucketMs);
    let hint: number;
    try {
      const raw = await this.store.get(this.hintKey());
      // Nothing swept yet, or the store lost everything: nothing older is left to do.
      hint = raw === null ? current : Number(raw);
    } catch {
      // Unknown: look at everything that may still be there.
      hint = oldest;
    }
    this.next = Number.isSafeInteger(hint) ? Math.min(current, Math.max(oldest, hint)) : current;
    this.timer = setInterval(() => void this.sweep(), this.sweepMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One sweep of the closed buckets not finished yet (the timer calls it; tests may too). */
  async sweep(): Promise<void> {
    if (this.sweeping || this.next === null) return;
    this.sweeping = true;
    try {
      const now = this.now();
      const lastClosed = Math.floor(now / this.bucketMs) - 1;
      const buckets: number[] = [];
      for (let bucket = this.next; bucket <= lastClosed; bucket++) buckets.push(bucket);
      const toRead = buckets.filter((bucket) => this.counterDue(bucket, now));
      for (let i = 0; i < toRead.length; i += PARALLEL) await this.readCounters(toRead.slice(i, i + PARALLEL));
      for (const bucket of buckets) await this.work(bucket, now);
      this.advance(lastClosed);
      await this.writeHint(now);
      if (this.failing) this.logger.log('The due list is swept again.');
      this.failing = false;
    } catch (error) {
      // Once per outage, not every sweep: the store being down is reported elsewhere too.
      if (!this.failing) this.logger.warn(`Sweeping due work failed; it is retried: ${(error as Error).message}`);
      this.failing = true;
    } finally {
      this.sweeping = false;
    }
  }

  /** Read a closed bucket's counter at once, and once more after it settled (a write may have been on its way). */
  private counterDue(bucket: number, now: number): boolean {
    const reads = this.open.get(bucket)?.reads ?? 0;
    return reads === 0 || (reads === 1 && now >= (bucket + 1) * this.bucketMs + SETTLE_MS);
  }

  private async readCounters(buckets: number[]): Promise<void> {
    const counters = await Promise.all(buckets.map((bucket) => this.store.get(this.counterKey(bucket))));
    buckets.forEach((bucket, i) => {
      const open = this.open.get(bucket) ?? { read: 0, reads: 0, pending: new Set<number>() };
      const counted = Number(counters[i] ?? 0);
      for (let n = open.read + 1; n <= counted; n++) open.pending.add(n);
      open.read = Math.max(open.read, counted);
      open.reads++;
      this.open.set(bucket, open);
    });
  }

  private async work(bucket: number, now: number): Promise<void> {
    const open = this.open.get(bucket);
    if (!open || open.pending.size === 0) return;
    const closedFor = now - (bucket + 1) * this.bucketMs;
    const numbers = [...open.pending];
    for (let i = 0; i < numbers.length; i += PARALLEL) {
      await Promise.all(
        numbers.slice(i, i + PARALLEL).map(async (n) => {
          const raw = await this.store.get(this.entryKey(bucket, n));
          if (raw === null) {
            if (closedFor > MISSING_GIVE_UP_MS) open.pending.delete(n);
            return;
          }
          try {
            await this.options.handle(JSON.parse(raw) as T);
            open.pending.delete(n);
          } catch (error) {
            if (closedFor <= FAILING_GIVE_UP_MS) return;
            open.pending.delete(n);
            this.logger.error(`Due work was given up after failing for a minute: ${(error as Error).message}`);
          }
        }),
      );
    }
  }

  /** Finished: read again once settled (no write can still be on its way), and nothing left to do. */
  private advance(lastClosed: number): void {
    while (this.next !== null && this.next <= lastClosed) {
      const open = this.open.get(this.next);
      if (!open || open.reads < 2 || open.pending.size > 0) return;
      this.open.delete(this.next);
      this.next++;
    }
  }

  private async writeHint(now: number): Promise<void> {
    if (this.next === null || now - this.hintWrittenAt < HINT_EVERY_MS) return;
    this.hintWrittenAt = now;
    await this.store.set(this.hintKey(), String(this.next), Math.ceil(RETAIN_MS / 1000));
  }

  private bucketOf(at: number): number {
    return Math.floor(at / this.bucketMs);
  }

  private counterKey(bucket: number): string {
    return `due:${this.options.name}:${bucket}:n`;
  }

  private entryKey(bucket: number, n: number): string {
    return `due:${this.options.name}:${bucket}:${n}`;
  }

  private hintKey(): string {
    return `due:${this.options.name}:swept`;
  }
}
