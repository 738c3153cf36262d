import { EventEmitter } from 'node:events';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { KeyValueStore } from '@servicekit/api/store';
import { AlreadyClaimedError, QueueBusyError, QueueContentionError } from './queue.errors';
import { QUEUE_DEFAULT_OPTIONS, QUEUE_OPTIONS, QueueOptions } from './queue.options';

/**
 * The FIFO help queue, written only against the KeyValueStore port (Memcached semantics, no CAS).
 *
 * Two lanes of tickets: the front lane ("f") holds customers handed back by a no-show or a lost rep and is
 * served first; the main lane ("m") holds everyone else. Per lane:
 *   q:{lane}:tail      atomic counter: the last ticket handed out
 *   q:{lane}:head      hint: every ticket below it is settled (an optimisation, never trusted beyond that)
 *   q:{lane}:t:{n}     the ticket's entry {id, at}, created with `add`; a claimer that finds it missing
 *                      settles it with `add(…, VOID)`, so a slow enqueue and a claimer can never both win
 *   q:{lane}:c:{n}     the ticket's fate, created with `add`: the first of a claim, a cancel or a skip wins
 * and per help session q:hs:{id}: "{lane}:{n}" of its current ticket (idempotent enqueue, cancel).
 */
export type Lane = 'f' | 'm';

export interface QueuePlace {
  /** 1 is next. */
  position: number;
  estimatedWaitMs: number;
}

export interface Claim {
  helpSessionId: string;
  waitedMs: number;
}

export type CancelOutcome = 'cancelled' | 'taken' | 'not-queued';

/**
 * Whether a waiting customer may be handed to a rep now: `yes`; `gone` (help session over, customer left for
 * good: the ticket is settled as skipped); `later` (briefly away, e.g. reconnecting: keeps the place).
 */
export type Eligibility = (helpSessionId: string) => Promise<'yes' | 'gone' | 'later'>;

export interface WaitingEntry {
  helpSessionId: string;
  position: number;
  enqueuedAt: number;
}

/** A waiting customer's ticket: the front lane is served first, then each lane by number. */
export interface OpenTicket {
  front: boolean;
  n: number;
  enqueuedAt: number;
}

interface Ticket {
  lane: Lane;
  n: number;
}

interface Entry {
  id: string;
  at: number;
}

/** The open tickets of both lanes at one moment, and the lane tails then. */
interface Snapshot {
  open: Record<Lane, number[]>;
  tails: Record<Lane, number>;
}

const LANES: readonly Lane[] = ['f', 'm'];
const VOID = 'void';
const PENDING = 'pending';
const COUNTER_TTL = 30 * 24 * 60 * 60;
const PENDING_TTL = 10;
const SCAN_BATCH = 16;
/** Where a scan starts when the head hint was evicted: never further back than this. */
const HEAD_FALLBACK_SPAN = 100_000;
const MAX_TICKET_ATTEMPTS = 8;

@Injectable()
export class HelpQueue {
  private readonly options: QueueOptions;
  private readonly arrivals = new EventEmitter();
  private snapshot: { takenAt: number; scan: Promise<Snapshot> } | null = null;

  constructor(
    private readonly store: KeyValueStore,
    @Optional() @Inject(QUEUE_OPTIONS) options?: Partial<QueueOptions>,
  ) {
    this.options = { ...QUEUE_DEFAULT_OPTIONS, ...options };
    this.arrivals.setMaxListeners(0);
  }

  /**
   * Puts the help session at the tail of the queue. Idempotent: a retry, even a concurrent one, returns the
   * same place and never makes a second entry.
   */
  async enqueue(helpSessionId: string, now = Date.now()): Promise<QueuePlace> {
    const markerKey = this.markerKey(helpSessionId);
    if (!(await this.store.add(markerKey, PENDING, PENDING_TTL))) {
      const ticket = await this.currentTicket(helpSessionId);
      if (ticket) {
        const fate = await this.store.get(this.fateKey(ticket));
        if (fate?.startsWith('claim:')) throw new AlreadyClaimedError();
        if (fate === null) return this.placeOf(ticket);
      }
      // The earlier attempt settled without a place (its ticket was cancelled): it cannot be queued again.
      throw new QueueBusyError();
    }
    const ticket = await this.takeTicket('m', { id: helpSessionId, at: now });
    await this.store.set(markerKey, `${ticket.lane}:${ticket.n}`, this.options.entryTtlSeconds);
    await this.changed();
    this.arrivals.emit('arrival');
    return this.placeOf(ticket);
  }

  /**
   * Gives the customer the first place again (a no-show, or a rep that left before the call started).
   * `enqueuedAt` keeps the original enqueue time so waits stay honest.
   */
  async returnToFront(helpSessionId: string, enqueuedAt: number): Promise<QueuePlace> {
    const ticket = await this.takeTicket('f', { id: helpSessionId, at: enqueuedAt });
    await this.store.set(this.markerKey(helpSessionId), `${ticket.lane}:${ticket.n}`, this.options.entryTtlSeconds);
    await this.changed();
    this.arrivals.emit('arrival');
    return this.placeOf(ticket);
  }

  /** Takes the customer out of the queue, unless a rep got there first. */
  async cancel(helpSessionId: string): Promise<CancelOutcome> {
    const ticket = await this.currentTicket(helpSessionId);
    if (!ticket) return 'not-queued';
    const fateKey = this.fateKey(ticket);
    const fate = (await this.store.add(fateKey, 'cancel', this.options.entryTtlSeconds)) ? 'cancel' : await this.store.get(fateKey);
    if (fate?.startsWith('claim:')) return 'taken';
    this.forgetSnapshot();
    await Promise.all([this.store.delete(this.markerKey(helpSessionId)), this.changed()]);
    return 'cancelled';
  }

  /**
   * Hands the first eligible waiting customer to the rep, or null when nobody waits. Every ticket it passes is
   * settled for good (claimed, cancelled, void or skipped), which is what lets the head hint move.
   */
  async claimNext(repId: string, eligible: Eligibility, now = Date.now()): Promise<Claim | null> {
    for (const lane of LANES) {
      const claim = await this.claimInLane(lane, repId, eligible, now);
      if (claim) {
        this.forgetSnapshot();
        await Promise.all([this.recordClaim(now), this.changed()]);
        return claim;
      }
    }
    return null;
  }

  /**
   * Like claimNext, but when nobody waits it waits up to `waitMs` for someone to arrive, on this instance
   * (an event) or on another (a cheap look at the lane tails).
   */
  async claimNextWaiting(repId: string, eligible: Eligibility, waitMs: number, signal?: AbortSignal): Promise<Claim | null> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const tails = await this.tails();
      const claim = await this.claimNext(repId, eligible);
      if (claim || Date.now() >= deadline || signal?.aborted) return claim;
      await this.arrivalOrTimeout(tails, deadline, signal);
      if (signal?.aborted) return null;
    }
  }

  /**
   * Changes whenever the queue does (an arrival, a claim, a cancel, a return): instances that push live
   * positions compare it instead of rescanning the queue.
   */
  async version(): Promise<string> {
    return (await this.store.get('q:version')) ?? '0';
  }

  private async changed(): Promise<void> {
    await this.store.increment('q:version', 1, { initial: 1, ttlSeconds: COUNTER_TTL });
  }

  /** The customer's place, or null when not waiting. */
  async place(helpSessionId: string): Promise<QueuePlace | null> {
    const ticket = await this.currentTicket(helpSessionId);
    if (!ticket || (await this.store.get(this.fateKey(ticket))) !== null) return null;
    return this.placeOf(ticket);
  }

  /** The customer's open ticket, or null when not waiting. */
  async ticketOf(helpSessionId: string): Promise<OpenTicket | null> {
    const ticket = await this.currentTicket(helpSessionId);
    if (!ticket) return null;
    const [fate, raw] = await Promise.all([this.store.get(this.fateKey(ticket)), this.store.get(`q:${ticket.lane}:t:${ticket.n}`)]);
    const entry = parseEntry(raw);
    if (fate !== null || entry?.id !== helpSessionId) return null;
    return { front: ticket.lane === 'f', n: ticket.n, enqueuedAt: entry.at };
  }

  /** Everyone waiting, in the order they will be served. */
  async waiting(): Promise<WaitingEntry[]> {
    const result: WaitingEntry[] = [];
    for (const lane of LANES) {
      const { head, tail } = await this.bounds(lane);
      for (const [, entry] of await this.openTickets(lane, head, tail)) {
        if (entry) result.push({ helpSessionId: entry.id, position: result.length + 1, enqueuedAt: entry.at });
      }
    }
    return result;
  }

  /** Estimated wait for a given position, from the measured time between claims. */
  async estimateWaitMs(position: number): Promise<number> {
    const interval = Number((await this.store.get('q:claim-interval')) ?? this.options.defaultClaimIntervalMs);
    return Math.round(position * (Number.isFinite(interval) ? interval : this.options.defaultClaimIntervalMs));
  }

  private async takeTicket(lane: Lane, entry: Entry): Promise<Ticket> {
    const ttl = this.options.entryTtlSeconds;
    for (let attempt = 0; attempt < MAX_TICKET_ATTEMPTS; attempt++) {
      const n = await this.store.increment(`q:${lane}:tail`, 1, { initial: 1, ttlSeconds: COUNTER_TTL });
      const [created] = await Promise.all([
        this.store.add(`q:${lane}:t:${n}`, JSON.stringify(entry), ttl),
        // increment does not renew a TTL: keep the counter alive while the queue is used.
        this.store.touch(`q:${lane}:tail`, COUNTER_TTL),
      ]);
      // A claimer scanning past this ticket before we wrote it voided it: take the next one.
      if (created) return { lane, n };
    }
    throw new QueueContentionError();
  }

  private async claimInLane(lane: Lane, repId: string, eligible: Eligibility, now: number): Promise<Claim | null> {
    const ttl = this.options.entryTtlSeconds;
    const { head, tail } = await this.bounds(lane);
    // The first ticket left open behind us (a customer who is briefly away): the head hint may not pass it.
    let keep: number | null = null;
    // Batches grow from 1: claiming the head costs a constant number of calls, a long run of settled
    // tickets (cancels) is crossed in few round trips.
    for (let from = head, size = 1; from <= tail; from += size, size = Math.min(size * 2, SCAN_BATCH)) {
      const to = Math.min(tail, from + size - 1);
      for (const [n, found] of await this.openTickets(lane, from, to)) {
        let entry = found;
        if (!entry) {
          // Missing entry: an enqueue between its increment and its add, or one that died there. Void it;
          // if the enqueue wins the race instead, look again at what it wrote.
          if (await this.store.add(`q:${lane}:t:${n}`, VOID, ttl)) continue;
          entry = parseEntry(await this.store.get(`q:${lane}:t:${n}`));
          if (!entry) continue;
        }
        const verdict = await eligible(entry.id);
        if (verdict === 'later') {
          keep ??= n;
          continue;
        }
        const fateKey = this.fateKey({ lane, n });
        if (verdict === 'gone') {
          await this.store.add(fateKey, 'skip', ttl);
          continue;
        }
        if (await this.store.add(fateKey, `claim:${repId}`, ttl)) {
          await this.moveHead(lane, head, keep ?? n + 1);
          return { helpSessionId: entry.id, waitedMs: Math.max(0, now - entry.at) };
        }
      }
    }
    await this.moveHead(lane, head, keep ?? tail + 1);
    return null;
  }

  /**
   * Every ticket below `to` is settled for good (a fate, once added, never changes). A concurrent claimer may
   * write a lower hint, which only costs a longer scan, never a lost customer.
   */
  private async moveHead(lane: Lane, head: number, to: number): Promise<void> {
    if (to > head) await this.store.set(`q:${lane}:head`, String(to), COUNTER_TTL);
  }

  /** The unsettled tickets in [from, to], each with its entry (null while its enqueue is in flight). */
  private async openTickets(lane: Lane, from: number, to: number): Promise<[number, Entry | null][]> {
    if (to < from) return [];
    const numbers = Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const fates = await Promise.all(numbers.map((n) => this.store.get(this.fateKey({ lane, n }))));
    const open = numbers.filter((_, i) => fates[i] === null);
    const raw = await Promise.all(open.map((n) => this.store.get(`q:${lane}:t:${n}`)));
    return open
      .map((n, i) => [n, raw[i]] as const)
      .filter(([, value]) => value !== VOID)
      .map(([n, value]) => [n, parseEntry(value ?? null)]);
  }

  private async bounds(lane: Lane): Promise<{ head: number; tail: number }> {
    const [rawHead, rawTail] = await Promise.all([this.store.get(`q:${lane}:head`), this.store.get(`q:${lane}:tail`)]);
    const tail = rawTail === null ? 0 : Number(rawTail);
    const head = rawHead === null ? Math.max(1, tail - HEAD_FALLBACK_SPAN) : Number(rawHead);
    return { head, tail };
  }

  private async tails(): Promise<string> {
    const values = await Promise.all(LANES.map((lane) => this.store.get(`q:${lane}:tail`)));
    return values.join('|');
  }

  /**
   * Position = open tickets ahead + 1, from a recent scan shared by concurrent callers. Tickets handed out
   * after that scan and before this one count as waiting (they are, unless cancelled within the cache time).
   */
  private async placeOf(ticket: Ticket): Promise<QueuePlace> {
    const { open, tails } = await this.openSnapshot();
    const before = (lane: Lane, n: number) => open[lane].filter((m) => m < n).length + Math.max(0, n - 1 - tails[lane]);
    const ahead = ticket.lane === 'f' ? before('f', ticket.n) : open.f.length + before('m', ticket.n);
    const position = ahead + 1;
    return { position, estimatedWaitMs: await this.estimateWaitMs(position) };
  }

  private openSnapshot(): Promise<Snapshot> {
    const now = Date.now();
    if (this.snapshot && now - this.snapshot.takenAt < this.options.positionCacheMs) return this.snapshot.scan;
    const scan = (async (): Promise<Snapshot> => {
      const snapshot: Snapshot = { open: { f: [], m: [] }, tails: { f: 0, m: 0 } };
      await Promise.all(
        LANES.map(async (lane) => {
          const { head, tail } = await this.bounds(lane);
          snapshot.tails[lane] = tail;
          snapshot.open[lane] = (await this.openTickets(lane, head, tail)).map(([n]) => n);
        }),
      );
      return snapshot;
    })();
    const entry = { takenAt: now, scan };
    this.snapshot = entry;
    scan.catch(() => {
      if (this.snapshot === entry) this.snapshot = null;
    });
    return scan;
  }

  /** Claims and cancels made here change positions at once: the next question rescans. */
  private forgetSnapshot(): void {
    this.snapshot = null;
  }

  private async currentTicket(helpSessionId: string): Promise<Ticket | null> {
    const markerKey = this.markerKey(helpSessionId);
    const deadline = Date.now() + PENDING_TTL * 1000;
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      const marker = await this.store.get(markerKey);
      if (marker === null) return null;
      if (marker !== PENDING) return parseTicket(marker);
      // Another request is allocating this ticket right now (one or two store round trips).
      if (Date.now() > deadline) throw new QueueBusyError();
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private async recordClaim(now: number): Promise<void> {
    const last = Number(await this.store.get('q:last-claim'));
    await this.store.set('q:last-claim', String(now), COUNTER_TTL);
    if (!last || now <= last) return;
    const previous = Number((await this.store.get('q:claim-interval')) ?? now - last);
    // Exponentially weighted: recent claims matter most; a long idle gap is capped so one quiet night does
    // not inflate the morning's estimates.
    const sample = Math.min(now - last, 10 * 60_000);
    await this.store.set('q:claim-interval', String(Math.round(0.8 * previous + 0.2 * sample)), COUNTER_TTL);
  }

  private arrivalOrTimeout(tails: string, deadline: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.arrivals.off('arrival', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
      const poll = setInterval(() => {
        this.tails().then((now) => now !== tails && done(), done);
      }, this.options.arrivalPollMs);
      this.arrivals.on('arrival', done);
      signal?.addEventListener('abort', done);
    });
  }

  private markerKey(helpSessionId: string): string {
    return `q:hs:${helpSessionId}`;
  }

  private fateKey({ lane, n }: Ticket): string {
    return `q:${lane}:c:${n}`;
  }
}

function parseTicket(marker: string): Ticket | null {
  const match = /^([fm]):(\d+)$/.exec(marker);
  return match ? { lane: match[1] as Lane, n: Number(match[2]) } : null;
}

function parseEntry(value: string | null): Entry | null {
  if (value === null || value === VOID) return null;
  try {
    const parsed = JSON.parse(value) as Partial<Entry>;
    return typeof parsed.id === 'string' && typeof parsed.at === 'number' ? { id: parsed.id, at: parsed.at } : null;
  } catch {
    return null;
  }
}
