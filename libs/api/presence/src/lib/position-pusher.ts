import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { IntakeService } from '@servicekit/api/hours';
import { HelpQueue, QueueChange, TicketPlace } from '@servicekit/api/queue';
import { shownPosition } from '@servicekit/contracts';
import { InstanceInbox } from './instance-inbox';
import { LocalSockets } from './local-sockets';

/** A waiting customer held here: their ticket and the position this instance believes they have. */
interface Tracked {
  front: boolean;
  n: number;
  position: number;
  /** When the position was last read from the store. */
  readAt: number;
  /** Read while changes were moving: it may count one of them twice, so it is read again once the queue is quiet. */
  unsure: boolean;
}

const TOPIC = 'queue';
const RECONCILE_MS = 500;
/** Changes this close to a read may or may not be in it. */
const QUIET_MS = 500;
/** How often the last customer of each lane is read again, to catch a change this instance never heard of. */
const PROBE_MS = 5_000;
const REREAD_BATCH = 64;

/**
 * Live queue positions without reading the queue. Every arrival and settlement made on any instance reaches
 * every instance (made here: HelpQueue.onChange; elsewhere: the inbox's shared log), and each instance moves
 * the waiting customers it holds: a settled ticket ahead of one moves them up by one, a customer handed back
 * to the front moves every main-lane customer down by one. A customer's starting position comes from the
 * place the queue computed when they connected or queued (HelpQueue.onPlaced, O(log n) store calls).
 *
 * Drift is corrected cheaply: a position read while changes were moving is read again once the queue has
 * been quiet for QUIET_MS, and every PROBE_MS the last customer of each lane is read again; when that one was
 * wrong, a change was missed and everyone held here is read again. Reps held here get the queue length (from
 * the queue's counters) whenever it changed.
 */
@Injectable()
export class PositionPusher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PositionPusher.name);
  private readonly tracked = new Map<string, Tracked>();
  private pending: QueueChange[] = [];
  private outgoing: QueueChange[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private lastChangeAt = 0;
  private lastProbeAt = 0;
  private reconciling = false;

  constructor(
    private readonly sockets: LocalSockets,
    private readonly queue: HelpQueue,
    private readonly intake: IntakeService,
    private readonly inbox: InstanceInbox,
  ) {
    queue.onChange((change) => {
      this.outgoing.push(change);
      this.hear([change]);
    });
    queue.onPlaced((place) => this.placed(place));
    inbox.listen(TOPIC, (payload) => this.hear(payload as QueueChange[]));
    sockets.onKindChange((id, kind) => this.kindChanged(id, kind));
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.reconcile(), RECONCILE_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Applies what is pending, and waits for it (tests and shutdown). */
  async push(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.length > 0 || this.outgoing.length > 0) await this.flush();
  }

  private hear(changes: QueueChange[]): void {
    if (changes.length === 0) return;
    this.pending.push(...changes);
    this.lastChangeAt = Date.now();
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /** The queue computed a customer's place here: the start (or a correction) of their tracking, if held here. */
  private placed(place: TicketPlace): void {
    const customer = { kind: 'customer', id: place.helpSessionId } as const;
    if (!this.sockets.holds(customer)) return;
    // A place read before the customer was taken (or left) can arrive after the state that says so: not news.
    const kind = this.sockets.lastKind(customer);
    if (kind !== undefined && kind !== 'idle' && kind !== 'waiting') return;
    const now = Date.now();
    const before = this.tracked.get(place.helpSessionId);
    this.tracked.set(place.helpSessionId, {
      front: place.front,
      n: place.n,
      position: place.position,
      readAt: now,
      unsure: this.pending.length > 0 || now - this.lastChangeAt < QUIET_MS,
    });
    // Told unless it is what they were last sent: a correction, or a place taken over HTTP (which the HTTP
    // answer gave only to the page that asked). On a connection the gateway sends it too: a harmless repeat.
    if (before?.position !== place.position) void this.tell([place.helpSessionId]);
  }

  private kindChanged(helpSessionId: string, kind: string): void {
    if (kind !== 'waiting') this.tracked.delete(helpSessionId);
    else if (!this.tracked.has(helpSessionId)) void this.reread([helpSessionId]);
  }

  private flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    const run = this.apply().finally(() => {
      if (this.flushing === run) this.flushing = null;
    });
    this.flushing = run;
    return run;
  }

  private async apply(): Promise<void> {
    const changes = this.pending;
    const outgoing = this.outgoing;
    this.pending = [];
    this.outgoing = [];
    try {
      if (outgoing.length > 0) await this.inbox.broadcast(TOPIC, outgoing);
      if (changes.length === 0) return;
      const now = Date.now();
      const moved: string[] = [];
      for (const [id, customer] of this.tracked) {
        if (!this.sockets.holds({ kind: 'customer', id })) {
          this.tracked.delete(id);
          continue;
        }
        let delta = 0;
        let settled = false;
        for (const change of changes) {
          if (change.front === customer.front && change.n === customer.n) settled ||= change.kind === 'settled';
          else if (isAhead(change, customer)) delta += change.kind === 'settled' ? -1 : 1;
        }
        if (settled) {
          this.tracked.delete(id);
          continue;
        }
        if (delta === 0) continue;
        customer.position = Math.max(1, customer.position + delta);
        if (now - customer.readAt < QUIET_MS) customer.unsure = true;
        moved.push(id);
      }
      // Customers held here who queued through another instance (an HTTP request and a socket need not meet
      // on one instance behind a load balancer): their place is read once, then they are tracked like the rest.
      // (Those who queued here are tracked from the place their enqueue computed.)
      const local = new Set(outgoing.map((change) => change.helpSessionId));
      const queuedElsewhere = changes
        .filter((change) => change.kind === 'arrived' && change.helpSessionId !== undefined && !local.has(change.helpSessionId))
        .map((change) => change.helpSessionId as string)
        .filter((id) => this.sockets.holds({ kind: 'customer', id }) && !this.tracked.has(id));
      await Promise.all([this.tell(moved), this.tellReps(), this.reread([...new Set(queuedElsewhere)])]);
    } catch (error) {
      this.logger.warn(`Pushing queue positions failed: ${(error as Error).message}`);
    }
  }

  /**
   * Sends these customers their tracked position (with its estimate), unless they are shown the same place
   * already (see shownPosition: exact up to 100, then two significant digits). One websocket write costs
   * 12–25 µs of CPU, so at 10,000 waiting a claim that wrote to every socket would cost 120–250 ms; this way
   * it writes to about 280 of them.
   */
  private async tell(ids: string[]): Promise<void> {
    const due = ids.filter((id) => {
      const customer = this.tracked.get(id);
      if (!customer) return false;
      const last = this.sockets.lastPosition({ kind: 'customer', id });
      return last === undefined || last === '' || shownPosition(Number(last)) !== shownPosition(customer.position);
    });
    const estimates = await Promise.all(due.map((id) => this.intake.estimate(this.tracked.get(id)?.position ?? 1)));
    due.forEach((id, i) => {
      const customer = this.tracked.get(id);
      const estimate = estimates[i];
      // Taken, cancelled or gone while the estimates were computed: their new state was sent instead.
      if (!customer || !estimate) return;
      const to = { kind: 'customer' as const, id };
      if (this.sockets.lastPosition(to) === String(customer.position)) return;
      this.sockets.receive({ to, event: 'customer:state', payload: { state: 'waiting', position: customer.position, ...estimate } });
    });
  }

  private async tellReps(): Promise<void> {
    const reps = this.sockets.reps();
    if (reps.length === 0) return;
    const waiting = await this.queue.length();
    for (const to of reps) this.sockets.receive({ to, event: 'queue:waiting', payload: { waiting } });
  }

  /** Reads these customers' places again (each one's correction, if any, is pushed by `placed`). */
  private async reread(ids: string[]): Promise<void> {
    await Promise.all(
      ids.map(async (id) => {
        const place = await this.queue.place(id).catch(() => undefined);
        // Not waiting any more: their new state reaches them by itself.
        if (place === null) this.tracked.delete(id);
      }),
    );
  }

  private async reconcile(): Promise<void> {
    const now = Date.now();
    if (this.reconciling || this.tracked.size === 0 || now - this.lastChangeAt < QUIET_MS || this.pending.length > 0) return;
    this.reconciling = true;
    try {
      const unsure = [...this.tracked].filter(([, customer]) => customer.unsure).map(([id]) => id);
      if (unsure.length > 0) {
        await this.reread(unsure.slice(0, REREAD_BATCH));
        return;
      }
      if (now - this.lastProbeAt < PROBE_MS) return;
      this.lastProbeAt = now;
      const probes = this.lastOfEachLane();
      const before = probes.map((id) => this.tracked.get(id)?.position);
      await this.reread(probes);
      const missed = probes.some((id, i) => {
        const after = this.tracked.get(id)?.position;
        return after !== undefined && after !== before[i];
      });
      if (missed) {
        this.logger.warn('A queue change was missed: reading the positions of every customer held here again.');
        for (const customer of this.tracked.values()) customer.unsure = true;
      }
    } finally {
      this.reconciling = false;
    }
  }

  /** The tracked customer furthest back in each lane: any change that moved someone moved them. */
  private lastOfEachLane(): string[] {
    const last: { front?: [string, number]; main?: [string, number] } = {};
    for (const [id, { front, n }] of this.tracked) {
      const lane = front ? 'front' : 'main';
      const current = last[lane];
      if (!current || n > current[1]) last[lane] = [id, n];
    }
    return [last.front?.[0], last.main?.[0]].filter((id): id is string => id !== undefined);
  }
}

/** Whether the change is ahead of the customer: the front lane is served first, then each lane by number. */
function isAhead(change: QueueChange, customer: { front: boolean; n: number }): boolean {
  // A main-lane arrival is behind everyone waiting.
  if (change.kind === 'arrived' && !change.front) return false;
  if (change.front !== customer.front) return change.front;
  return change.n < customer.n;
}
