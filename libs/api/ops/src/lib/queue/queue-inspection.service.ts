import { Injectable } from '@nestjs/common';
import { CallbacksService } from '@servicekit/api/callbacks';
import type { QueueFigures } from '@servicekit/api/metrics';
import { PresenceStats } from '@servicekit/api/presence';
import { HelpQueue } from '@servicekit/api/queue';
import { HelpSessionService } from '@servicekit/api/help-session';
import { OpsQueueView, OpsWaitingEntry } from './ops-queue.view';

/** What operators see of the live queue; everything is read from the store, so every instance agrees. */
@Injectable()
export class QueueInspection {
  constructor(
    private readonly queue: HelpQueue,
    private readonly presence: PresenceStats,
    private readonly sessions: HelpSessionService,
    private readonly callbacks: CallbacksService,
  ) {}

  /** The queue now; names and problems only with `pii`. */
  async view(pii: boolean, now = Date.now()): Promise<OpsQueueView> {
    const waiting = await this.queue.waiting();
    const ids = waiting.map((entry) => entry.helpSessionId);
    const [connected, presence, personal] = await Promise.all([
      this.presence.customersConnected(ids),
      this.presence.snapshot(),
      pii ? Promise.all(ids.map((id) => this.sessions.personalData(id))) : Promise.resolve([]),
    ]);
    return {
      queueLength: waiting.length,
      oldestWaitMs: oldestWait(waiting, now),
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
    const [waiting, presence, callbacks] = await Promise.all([this.queue.waiting(), this.presence.snapshot(), this.callbacks.figures()]);
    return {
      depth: waiting.length,
      oldestWaitMs: oldestWait(waiting, now),
      repsOnline: presence.repsOnline,
      callbacksOpen: callbacks.open,
      callbacksClaimed: callbacks.claimed,
    };
  }
}

/** The front lane (returned customers) comes first but may not hold the longest wait: take the maximum. */
function oldestWait(waiting: { enqueuedAt: number }[], now: number): number {
  return waiting.reduce((oldest, entry) => Math.max(oldest, now - entry.enqueuedAt), 0);
}
