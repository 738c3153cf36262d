import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { IntakeService } from '@servicekit/api/hours';
import { HelpQueue } from '@servicekit/api/queue';
import { LocalSockets } from './local-sockets';

const WATCH_MS = 250;

/**
 * Live queue positions: when the queue changes, each waiting customer connected here is told its new place
 * (only when it moved), and each rep connected here the number waiting.
 */
@Injectable()
export class PositionPusher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PositionPusher.name);
  private timer: NodeJS.Timeout | null = null;
  private lastVersion: string | null = null;
  private pushing = false;

  constructor(
    private readonly sockets: LocalSockets,
    private readonly queue: HelpQueue,
    private readonly intake: IntakeService,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.push(), WATCH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One round: nothing when nobody is connected here or the queue has not changed since the last round. */
  async push(): Promise<void> {
    const here = this.sockets.participants();
    if (this.pushing || here.length === 0) return;
    this.pushing = true;
    try {
      const version = await this.queue.version();
      if (version === this.lastVersion) return;
      this.lastVersion = version;
      const waiting = await this.queue.waiting();
      for (const { participant } of here) {
        if (participant.kind === 'rep') {
          this.sockets.receive({ to: participant, event: 'queue:waiting', payload: { waiting: waiting.length } });
          continue;
        }
        const entry = waiting.find((w) => w.helpSessionId === participant.id);
        if (!entry || this.sockets.lastPosition(participant) === String(entry.position)) continue;
        const estimate = await this.intake.estimate(entry.position);
        this.sockets.receive({
          to: participant,
          event: 'customer:state',
          payload: { state: 'waiting', position: entry.position, ...estimate },
        });
      }
    } catch (error) {
      this.logger.warn(`Pushing queue positions failed: ${(error as Error).message}`);
    } finally {
      this.pushing = false;
    }
  }
}
