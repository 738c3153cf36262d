import { Inject, Injectable, Optional } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { DomainError } from '@servicekit/api/errors';
import { HelpQueue } from '@servicekit/api/queue';
import { IntakeStateResponse, PAUSE_MAX_MINUTES, ServiceAvailability, ServiceStatusResponse, WaitEstimate } from '@servicekit/contracts';
import { ClosedError, IntakePausedError, QueueFullError, WaitTooLongError } from './intake.errors';
import { IntakeRecords } from './intake.records';
import { OpeningHours } from './opening-hours';
import { StaffFigures } from './staff-figures';
import { DEFAULT_HANDLING_MS, estimateWait, RepLoadNow } from './wait-estimate';

export interface IntakeOptions {
  /**
   * How long one read of the reps' figures and the handling time answers estimates. The figures are
   * published every 2 s and cost a read of every instance slot, while estimates are asked for every waiting
   * customer whose place moved (0: read every time).
   */
  figuresCacheMs: number;
}

/** Nest provider token for `Partial<IntakeOptions>`. */
export const INTAKE_OPTIONS = Symbol('INTAKE_OPTIONS');

interface Inputs {
  load: RepLoadNow;
  handlingMs: number;
}

interface Situation {
  now: number;
  waiting: number;
  load: RepLoadNow;
  /** For a customer arriving now (behind everyone waiting). */
  arrival: WaitEstimate;
  pausedUntil: number | null;
}

/**
 * Who may join the queue now, and what customers are told before they try: the opening hours, an
 * operator's pause (in the store, so every instance agrees), the queue limits and honest wait estimates.
 * Waiting customers are never touched: a pause or the closing time only turns new arrivals away.
 */
@Injectable()
export class IntakeService {
  readonly hours: OpeningHours;
  private readonly figuresCacheMs: number;
  private cached: { at: number; inputs: Promise<Inputs> } | null = null;

  constructor(
    private readonly config: ServiceKitConfig,
    private readonly records: IntakeRecords,
    private readonly queue: HelpQueue,
    private readonly reps: StaffFigures,
    @Optional() @Inject(INTAKE_OPTIONS) options?: Partial<IntakeOptions>,
  ) {
    this.hours = new OpeningHours(config.openingHours);
    this.figuresCacheMs = options?.figuresCacheMs ?? 1000;
  }

  /** The wait of the customer at `position`, or null with the reason when no rep is online. */
  async estimate(position: number): Promise<WaitEstimate> {
    const { load, handlingMs } = await this.inputs();
    return estimateWait(position, load, handlingMs);
  }

  /** A rep finished with a customer `ms` after taking them: the handling time the estimates use. */
  async handled(ms: number): Promise<void> {
    await this.records.recordHandling(ms, DEFAULT_HANDLING_MS);
  }

  /** `GET /api/status`: open, closed (and when it opens), paused, nobody online or busy; no personal data. */
  async status(now = Date.now()): Promise<ServiceStatusResponse> {
    const situation = await this.situation(now);
    const availability = this.availability(situation);
    const opensAt = availability === 'closed' ? this.hours.nextOpening(now) : null;
    return {
      repsOnline: situation.load.repsOnline,
      waiting: situation.waiting,
      ...situation.arrival,
      availability,
      opensAt: opensAt === null ? null : new Date(opensAt).toISOString(),
      callbacks: true,
      brand: this.config.brand,
    };
  }

  /** Turns a new arrival away with a contract code (`closed`, `intake_paused`, `queue_full`, `wait_too_long`). */
  async admit(now = Date.now()): Promise<void> {
    const situation = await this.situation(now);
    const refusal = this.refusal(situation);
    if (refusal) throw refusal;
  }

  async pause(minutes: number | undefined, now = Date.now()): Promise<IntakeStateResponse> {
    const length = Math.min(PAUSE_MAX_MINUTES, Math.max(1, Math.round(minutes ?? PAUSE_MAX_MINUTES)));
    await this.records.pause(now + length * 60_000, now);
    return this.intakeState(now);
  }

  async resume(now = Date.now()): Promise<IntakeStateResponse> {
    await this.records.resume();
    return this.intakeState(now);
  }

  async intakeState(now = Date.now()): Promise<IntakeStateResponse> {
    const until = await this.records.pausedUntil(now);
    const open = this.hours.isOpen(now);
    const opensAt = open ? null : this.hours.nextOpening(now);
    return {
      paused: until !== null,
      pausedUntil: until === null ? null : new Date(until).toISOString(),
      withinOpeningHours: open,
      opensAt: opensAt === null ? null : new Date(opensAt).toISOString(),
    };
  }

  private async situation(now: number): Promise<Situation> {
    const [waiting, { load, handlingMs }, pausedUntil] = await Promise.all([
      this.queue.length(),
      this.inputs(),
      this.records.pausedUntil(now),
    ]);
    const arrival = estimateWait(waiting + 1, load, handlingMs);
    return { now, waiting, load, arrival, pausedUntil };
  }

  /** The reps' figures and the handling time, shared by the calls of the next `figuresCacheMs`. */
  private inputs(): Promise<Inputs> {
    const at = Date.now();
    if (this.cached && at - this.cached.at < this.figuresCacheMs) return this.cached.inputs;
    const inputs = Promise.all([this.reps.snapshot(), this.records.handlingMs()]).then(([load, handling]) => ({
      load,
      handlingMs: handling ?? DEFAULT_HANDLING_MS,
    }));
    const entry = { at, inputs };
    this.cached = entry;
    inputs.catch(() => {
      if (this.cached === entry) this.cached = null;
    });
    return inputs;
  }

  private refusal(situation: Situation): DomainError | null {
    if (!this.hours.isOpen(situation.now)) return new ClosedError(this.hours.nextOpening(situation.now), this.hours.zone);
    if (situation.pausedUntil !== null) return new IntakePausedError();
    const { maxQueueLength, maxEstimatedWaitMs } = this.config;
    if (maxQueueLength !== null && situation.waiting >= maxQueueLength) return new QueueFullError();
    const wait = situation.arrival.estimatedWaitMs;
    if (maxEstimatedWaitMs !== null && wait !== null && wait > maxEstimatedWaitMs) return new WaitTooLongError();
    return null;
  }

  private availability(situation: Situation): ServiceAvailability {
    const refusal = this.refusal(situation);
    if (refusal instanceof ClosedError) return 'closed';
    if (refusal instanceof IntakePausedError) return 'intake_paused';
    if (refusal) return 'busy';
    return situation.load.repsOnline === 0 ? 'no_rep_online' : 'open';
  }
}
