import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the queue looks like right now, read from the store at scrape time (the same on every instance). */
export interface QueueFigures {
  /** Customers waiting. */
  depth: number;
  /** How long the first of them has waited, 0 when nobody waits. */
  oldestWaitMs: number;
  /** Reps connected on any instance. */
  repsOnline: number;
  /** Callback requests not taken yet, and taken but not closed. */
  callbacksOpen?: number;
  callbacksClaimed?: number;
  /** Signed-in reps by status (available, away, in-call, wrap-up). */
  repsByStatus?: Record<string, number>;
}

/** Reads the queue figures from the store (the caller of `text` knows how). */
export type QueueReader = () => Promise<QueueFigures>;

/** From seconds to half an hour: a customer-service queue is measured in minutes. */
const WAIT_BUCKETS_SECONDS = [1, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800];

/**
 * The product's Prometheus metrics, in a registry of its own (never prom-client's global one, so tests and
 * several apps in one process never collide), with the default Node.js process metrics.
 *
 * Counters and histograms are this instance's (Prometheus sums them over instances); the queue gauges are
 * read from the store on every scrape through the reader the scrape passes in, so every instance reports the
 * same queue. Open sockets are this instance's.
 */
@Injectable()
export class ServiceKitMetrics {
  private readonly registry = new Registry();
  private openSockets = 0;

  private readonly waitSeconds = new Histogram({
    name: 'servicekit_wait_seconds',
    help: 'How long matched customers waited in the queue.',
    buckets: WAIT_BUCKETS_SECONDS,
    registers: [this.registry],
  });

  private readonly timeToMatchSeconds = new Histogram({
    name: 'servicekit_time_to_match_seconds',
    help: 'From asking for help to being taken by a representative.',
    buckets: WAIT_BUCKETS_SECONDS,
    registers: [this.registry],
  });

  private readonly matches = new Counter({
    name: 'servicekit_matches_total',
    help: 'Customers taken by a representative.',
    registers: [this.registry],
  });

  private readonly cancels = new Counter({
    name: 'servicekit_cancels_total',
    help: 'Customers who cancelled while waiting.',
    registers: [this.registry],
  });

  private readonly abandons = new Counter({
    name: 'servicekit_abandons_total',
    help: 'Customers who left while waiting (closed the page, lost the connection for good).',
    registers: [this.registry],
  });

  private readonly noShows = new Counter({
    name: 'servicekit_no_shows_total',
    help: 'Matches handed back because the media did not come up in time.',
    registers: [this.registry],
  });

  private readonly storeErrors = new Counter({
    name: 'servicekit_store_errors_total',
    help: 'Store calls that failed or timed out, by operation.',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  private readonly queueDepth = new Gauge({
    name: 'servicekit_queue_depth',
    help: 'Customers waiting in the queue (all instances).',
    registers: [this.registry],
  });

  private readonly oldestWaitSeconds = new Gauge({
    name: 'servicekit_oldest_wait_seconds',
    help: 'How long the first waiting customer has waited (all instances).',
    registers: [this.registry],
  });

  private readonly repsOnline = new Gauge({
    name: 'servicekit_reps_online',
    help: 'Representatives connected (all instances).',
    registers: [this.registry],
  });

  private readonly repsByStatusGauge = new Gauge({
    name: 'servicekit_reps_by_status',
    help: 'Signed-in representatives by status (available, away, in-call, wrap-up; all instances).',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  private readonly callbackRequests = new Counter({
    name: 'servicekit_callback_requests_total',
    help: 'Callback requests left by customers.',
    registers: [this.registry],
  });

  private readonly callbacksClosed = new Counter({
    name: 'servicekit_callbacks_closed_total',
    help: 'Callback requests closed by a representative, by outcome (done, not_reached).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly callbacksGauge = new Gauge({
    name: 'servicekit_callbacks',
    help: 'Callback requests in the store (all instances), by state (open, claimed).',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  private readonly feedbackRatings = new Histogram({
    name: 'servicekit_feedback_rating',
    help: 'Ratings customers gave after a call (1 to 5).',
    buckets: [1, 2, 3, 4, 5],
    registers: [this.registry],
  });

  private readonly openSocketsGauge = new Gauge({
    name: 'servicekit_open_sockets',
    help: 'Presence connections open on this instance.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A rep took a customer who waited `waitMs` in the queue, `timeToMatchMs` after asking for help. */
  matched(waitMs: number, timeToMatchMs: number): void {
    this.matches.inc();
    this.waitSeconds.observe(seconds(waitMs));
    this.timeToMatchSeconds.observe(seconds(timeToMatchMs));
  }

  cancelled(): void {
    this.cancels.inc();
  }

  /** The customer left while waiting. */
  abandoned(): void {
    this.abandons.inc();
  }

  noShow(): void {
    this.noShows.inc();
  }

  callbackRequested(): void {
    this.callbackRequests.inc();
  }

  /** `outcome` is one of a fixed pair (done, not_reached). */
  callbackClosed(outcome: 'done' | 'not_reached'): void {
    this.callbacksClosed.inc({ outcome });
  }

  feedbackRated(rating: number): void {
    this.feedbackRatings.observe(rating);
  }

  /** `operation` is a small fixed set (get, set, add, …): never a key or anything a user typed. */
  storeError(operation: string): void {
    this.storeErrors.inc({ operation });
  }

  socketOpened(): void {
    this.openSocketsGauge.set(++this.openSockets);
  }

  socketClosed(): void {
    this.openSockets = Math.max(0, this.openSockets - 1);
    this.openSocketsGauge.set(this.openSockets);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * The exposition text, with the queue gauges read now through `readQueue`. When the queue cannot be read
   * (the store is down) the queue gauges say NaN rather than a stale figure, and the failure is counted.
   */
  async text(readQueue: QueueReader): Promise<string> {
    await this.readQueue(readQueue);
    return this.registry.metrics();
  }

  private async readQueue(reader: QueueReader): Promise<void> {
    const gauges = [this.queueDepth, this.oldestWaitSeconds, this.repsOnline];
    try {
      const figures = await reader();
      this.queueDepth.set(figures.depth);
      this.oldestWaitSeconds.set(seconds(figures.oldestWaitMs));
      this.repsOnline.set(figures.repsOnline);
      if (figures.callbacksOpen !== undefined) this.callbacksGauge.set({ state: 'open' }, figures.callbacksOpen);
      if (figures.callbacksClaimed !== undefined) this.callbacksGauge.set({ state: 'claimed' }, figures.callbacksClaimed);
      for (const [status, count] of Object.entries(figures.repsByStatus ?? {})) this.repsByStatusGauge.set({ status }, count);
    } catch {
      gauges.forEach((gauge) => gauge.set(Number.NaN));
      this.callbacksGauge.set({ state: 'open' }, Number.NaN);
      this.callbacksGauge.set({ state: 'claimed' }, Number.NaN);
      this.repsByStatusGauge.reset();
      this.storeError('metrics');
    }
  }
}

function seconds(ms: number): number {
  return Math.max(0, ms) / 1000;
}
