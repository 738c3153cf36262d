import { EventEmitter } from 'node:events';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { KeyValueStore } from '@servicekit/api/store';
import { AlreadyClaimedError, PlaceGivenUpError, QueueBusyError, QueueContentionError } from './queue.errors';
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
 *   q:{lane}:s         counter: tickets settled (a fate or a void), counted once by whoever won the `add`
 *   q:{lane}:fw:{i}    a Fenwick tree over ticket numbers of the settled tickets (same counting), so that
 *                      "settled below n" costs a few gets instead of a scan
 * and per help session q:hs:{id}: "{lane}:{n}" of its current ticket (idempotent enqueue, cancel).
 *
 * Positions and lengths never scan: the queue length is tail − settled per lane, a ticket's position is the
 * tickets ahead of it minus those settled (from the tree, O(log n) gets), and every arrival and settlement is
 * told to `onChange` listeners on this instance, so presence can keep its customers' positions up to date
 * without reading the queue at all.
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

/** A change of the queue made on this instance: a ticket handed out (`arrived`) or settled for good. */
export interface QueueChange {
  kind: 'arrived' | 'settled';
  front: boolean;
  n: number;
  /**
   * An arrival's help session (an id, no personal data): the instance holding that customer's socket, which
   * may not be the one the enqueue reached, starts tracking them from it.
   */
  helpSessionId?: string;
}

/** A customer's place as this instance just computed it, with the ticket it belongs to. */
export interface TicketPlace extends OpenTicketRef {
  helpSessionId: string;
  position: number;
}

export interface OpenTicketRef {
  front: boolean;
  n: number;
}

interface Entry {
  id: string;
  at: number;
}

const LANES: readonly Lane[] = ['f', 'm'];
const settledKey = (lane: Lane) => `q:${lane}:s`;
const treeKey = (lane: Lane, i: number) => `q:${lane}:fw:${i}`;
const VOID = 'void';
const PENDING = 'pending';
const COUNTER_TTL = 30 * 24 * 60 * 60;
const PENDING_TTL = 10;
const SCAN_BATCH = 16;
/** Where a scan starts when the head hint was evicted: never further back than this. */
const HEAD_FALLBACK_SPAN = 100_000;
const MAX_TICKET_ATTEMPTS = 8;
/**
 * Ticket numbers the settlement tree covers (2^26 per lane: two years at one customer a second; the lane
 * counters start again after 30 days without use).
 */
const TREE_SIZE = 2 ** 26;
/** How far the oldest-wait probe reads from the head hint before it settles for what it found. */
const OLDEST_PROBE_SPAN = 64;

@Injectable()
export class HelpQueue {
  private readonly options: QueueOptions;
  private readonly arrivals = new EventEmitter();

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
        if (fate === null) return this.placeOf(ticket, helpSessionId);
      }
      // The earlier attempt settled without a place (its ticket was cancelled, or skipped as gone, by a
      // request racing this one): it cannot be queued again. A conflict, not a failure of the service.
      throw new PlaceGivenUpError();
    }
    const ticket = await this.takeTicket('m', { id: helpSessionId, at: now });
    await this.store.set(markerKey, `${ticket.lane}:${ticket.n}`, this.options.entryTtlSeconds);
    this.arrived(ticket, helpSessionId);
    return this.placeOf(ticket, helpSessionId);
  }

  /**
   * Gives the customer the first place again (a no-show, or a rep that left before the call started).
   * `enqueuedAt` keeps the original enqueue time so waits stay honest.
   */
  async returnToFront(helpSessionId: string, enqueuedAt: number): Promise<QueuePlace> {
    const ticket = await this.takeTicket('f', { id: helpSessionId, at: enqueuedAt });
    await this.store.set(this.markerKey(helpSessionId), `${ticket.lane}:${ticket.n}`, this.options.entryTtlSeconds);
    this.arrived(ticket, helpSessionId);
    return this.placeOf(ticket, helpSessionId);
  }

  /** Takes the customer out of the queue, unless a rep got there first. */
  async cancel(helpSessionId: string): Promise<CancelOutcome> {
    const ticket = await this.currentTicket(helpSessionId);
    if (!ticket) return 'not-queued';
    const fateKey = this.fateKey(ticket);
    const won = await this.store.add(fateKey, 'cancel', this.options.entryTtlSeconds);
    const fate = won ? 'cancel' : await this.store.get(fateKey);
    if (fate?.startsWith('claim:')) return 'taken';
    await Promise.all([this.store.delete(this.markerKey(helpSessionId)), won ? this.settle(ticket) : Promise.resolve()]);
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
        await this.recordClaim(now);
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
   * Every arrival and settlement made on this instance, after it is in the store. Presence announces them to
   * the other instances and moves its customers' positions without reading the queue.
   */
  onChange(listener: (change: QueueChange) => void): void {
    this.arrivals.on('change', listener);
  }

  /** Every place computed on this instance (enqueue, return, `place`), with its ticket: where tracking starts. */
  onPlaced(listener: (place: TicketPlace) => void): void {
    this.arrivals.on('placed', listener);
  }

  /** The customer's place, or null when not waiting. O(log n) store calls. */
  async place(helpSessionId: string): Promise<QueuePlace | null> {
    const ticket = await this.currentTicket(helpSessionId);
    if (!ticket || (await this.store.get(this.fateKey(ticket))) !== null) return null;
    return this.placeOf(ticket, helpSessionId);
  }

  /** How many wait (tickets in flight included), from the lane counters: a constant number of store calls. */
  async length(): Promise<number> {
    const open = await Promise.all(LANES.map((lane) => this.openInLane(lane)));
    return open.reduce((sum, n) => sum + n, 0);
  }

  /**
   * How long the longest-waiting customer has waited (0 when nobody waits): the first open ticket of each
   * lane, found from the head hint (a few calls; at most OLDEST_PROBE_SPAN tickets past the hint are read).
   */
  async oldestWaitMs(now = Date.now()): Promise<number> {
    const firsts = await Promise.all(LANES.map((lane) => this.firstOpen(lane)));
    return firsts.reduce((oldest, entry) => (entry ? Math.max(oldest, now - entry.at) : oldest), 0);
  }

  /** The first `limit` waiting customers in serving order (reads only as far as it needs). */
  async waitingPage(limit: number): Promise<WaitingEntry[]> {
    const result: WaitingEntry[] = [];
    for (const lane of LANES) {
      const { head, tail } = await this.bounds(lane);
      for (let from = head, size = 1; from <= tail && result.length < limit; from += size, size = Math.min(size * 2, SCAN_BATCH)) {
        for (const [, entry] of await this.openTickets(lane, from, Math.min(tail, from + size - 1))) {
          if (entry && result.length < limit) result.push({ helpSessionId: entry.id, position: result.length + 1, enqueuedAt: entry.at });
        }
      }
    }
    return result;
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

  /**
   * Everyone waiting, in the order they will be served: a full scan of the open tickets (tests, recovery
   * tools and the position reconciliation test use it; nothing on a request path does).
   */
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
        // increment does not renew a TTL: keep the counters alive while the queue is used.
        this.store.touch(`q:${lane}:tail`, COUNTER_TTL),
        this.store.touch(settledKey(lane), COUNTER_TTL),
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
          if (await this.store.add(`q:${lane}:t:${n}`, VOID, ttl)) {
            await this.settle({ lane, n });
            continue;
          }
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
          if (await this.store.add(fateKey, 'skip', ttl)) await this.settle({ lane, n });
          continue;
        }
        if (await this.store.add(fateKey, `claim:${repId}`, ttl)) {
          await Promise.all([this.settle({ lane, n }), this.moveHead(lane, head, keep ?? n + 1)]);
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
   * Position = open tickets ahead + 1: the tickets handed out before this one, less those settled, counted by
   * the settlement tree from the head hint (every ticket below the hint is settled, so a settlement whose tree
   * update is still in flight below it is counted anyway). Tickets in flight count as waiting.
   */
  private async placeOf(ticket: Ticket, helpSessionId: string): Promise<QueuePlace> {
    const [aheadInLane, front] = await Promise.all([
      this.openBelow(ticket.lane, ticket.n),
      ticket.lane === 'm' ? this.openInLane('f') : Promise.resolve(0),
    ]);
    const position = front + aheadInLane + 1;
    this.arrivals.emit('placed', { helpSessionId, front: ticket.lane === 'f', n: ticket.n, position } satisfies TicketPlace);
    return { position, estimatedWaitMs: await this.estimateWaitMs(position) };
  }

  /** Open tickets of the lane numbered below `n`. */
  private async openBelow(lane: Lane, n: number): Promise<number> {
    const rawHead = await this.store.get(`q:${lane}:head`);
    const head = rawHead === null ? 1 : Math.min(Number(rawHead), n);
    const [below, belowHead] = await Promise.all([this.settledUpTo(lane, n - 1), this.settledUpTo(lane, head - 1)]);
    return Math.max(0, n - head - (below - belowHead));
  }

  /** Tickets waiting in the lane: handed out less settled. */
  private async openInLane(lane: Lane): Promise<number> {
    const [tail, settled] = await Promise.all([this.store.get(`q:${lane}:tail`), this.store.get(settledKey(lane))]);
    return Math.max(0, Number(tail ?? 0) - Number(settled ?? 0));
  }

  /** The settled tickets numbered 1..n, from the tree: one get per set bit of n. */
  private async settledUpTo(lane: Lane, n: number): Promise<number> {
    const nodes: number[] = [];
    for (let i = Math.min(n, TREE_SIZE); i > 0; i -= i & -i) nodes.push(i);
    const values = await Promise.all(nodes.map((i) => this.store.get(treeKey(lane, i))));
    return values.reduce((sum, value) => sum + Number(value ?? 0), 0);
  }

  /**
   * Counts a ticket settled for good, once: only the caller whose `add` decided its fate (or voided it) calls
   * this. The counter and the tree first, then the listeners.
   */
  private async settle(ticket: Ticket): Promise<void> {
    const counters: Promise<number>[] = [this.store.increment(settledKey(ticket.lane), 1, { initial: 1, ttlSeconds: COUNTER_TTL })];
    for (let i = ticket.n; i > 0 && i <= TREE_SIZE; i += i & -i) {
      counters.push(this.store.increment(treeKey(ticket.lane, i), 1, { initial: 1, ttlSeconds: COUNTER_TTL }));
    }
    await Promise.all(counters);
    this.arrivals.emit('change', { kind: 'settled', front: ticket.lane === 'f', n: ticket.n } satisfies QueueChange);
  }

  private arrived(ticket: Ticket, helpSessionId: string): void {
    this.arrivals.emit('change', { kind: 'arrived', front: ticket.lane === 'f', n: ticket.n, helpSessionId } satisfies QueueChange);
    this.arrivals.emit('arrival');
  }

  /** The lane's first open ticket's entry, looking at most OLDEST_PROBE_SPAN tickets past the head hint. */
  private async firstOpen(lane: Lane): Promise<Entry | null> {
    const { head, tail } = await this.bounds(lane);
    const last = Math.min(tail, head + OLDEST_PROBE_SPAN - 1);
    for (let from = head, size = 1; from <= last; from += size, size = Math.min(size * 2, SCAN_BATCH)) {
      for (const [, entry] of await this.openTickets(lane, from, Math.min(last, from + size - 1))) if (entry) return entry;
    }
    return null;
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
