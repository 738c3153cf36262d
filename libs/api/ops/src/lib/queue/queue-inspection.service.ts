import { Injectable } from '@nestjs/common';
import { CallbacksService } from '@servicekit/api/callbacks';
import type { QueueFigures } from '@servicekit/api/metrics';
import { PresenceStats } from '@servicekit/api/presence';
import { HelpQueue } from '@servicekit/api/queue';
import { HelpSessionService } from '@servicekit/api/help-session';
import { RepSessions, RepStatusService } from '@servicekit/api/rep-auth';
import { REP_STATUSES, type RepStatus } from '@servicekit/contracts';
import { OpsQueueView, OpsWaitingEntry } from './ops-queue.view';

/** How many waiting customers the ops view lists (the first ones in serving order); its counts cover everyone. */
export const OPS_QUEUE_PAGE = 100;

/**
 * What operators see of the live queue; everything is read from the store, so every instance agrees. Counts
 * come from the queue's counters and the listing reads one page, so neither grows with the queue.
 */
@Injectable()
export class QueueInspection {
  constructor(
    private readonly queue: HelpQueue,
    private readonly presence: PresenceStats,
    private readonly sessions: HelpSessionService,
    private readonly callbacks: CallbacksService,
    private readonly reps: RepSessions,
    private readonly repStatus: RepStatusService,
  ) {}

  /** The queue now; names and problems only with `pii`. */
  async view(pii: boolean, now = Date.now()): Promise<OpsQueueView> {
    const [waiting, queueLength, oldestWaitMs] = await Promise.all([
      this.queue.waitingPage(OPS_QUEUE_PAGE),
      this.queue.length(),
      this.queue.oldestWaitMs(now),
    ]);
    const ids = waiting.map((entry) => entry.helpSessionId);
    const [connected, presence, personal] = await Promise.all([
      this.presence.customersConnected(ids),
      this.presence.snapshot(),
      pii ? Promise.all(ids.map((id) => this.sessions.personalData(id))) : Promise.resolve([]),
    ]);
    return {
      queueLength,
      oldestWaitMs,
      waiting: waiting.map(
        (entry, i): OpsWaitingEntry => ({
          helpSessionId: entry.helpSessionId,
          position: entry.position,
          waitedMs: Math.max(0, now - entry.enqueuedAt),
          connected: connected[i] ?? false,
          ...(pii ? (personal[i] ?? {}) : {}),
        }),
      ),
      repsOnline: presence.repsOnline,
      repsBusy: presence.repsBusy,
      callsInProgress: presence.callsInProgress,
      generatedAt: new Date(now).toISOString(),
    };
  }

  /** The queue gauges of the metrics, read at each scrape. */
  async figures(now = Date.now()): Promise<QueueFigures> {
    const [depth, oldestWaitMs, presence, callbacks, repsByStatus] = await Promise.all([
      this.queue.length(),
      this.queue.oldestWaitMs(now),
      this.presence.snapshot(),
      this.callbacks.figures(),
      this.repsByStatus(now),
    ]);
    return {
      depth,
      oldestWaitMs,
      repsOnline: presence.repsOnline,
      callbacksOpen: callbacks.open,
      callbacksClaimed: callbacks.claimed,
      repsByStatus,
    };
  }

  /** Every signed-in rep's status, counted (every status present, 0 included). */
  private async repsByStatus(now: number): Promise<Record<RepStatus, number>> {
    const sessions = await this.reps.live(now);
    const statuses = await Promise.all(sessions.map((session) => this.repStatus.read(session.repId, now)));
    const counts = Object.fromEntries(REP_STATUSES.map((status) => [status, 0])) as Record<RepStatus, number>;
    for (const { status } of statuses) counts[status] += 1;
    return counts;
  }
}
