import { Controller, Get, Header } from '@nestjs/common';
import { HelpQueue } from '@servicekit/api/queue';
import type { ServiceStatusResponse } from '@servicekit/contracts';
import { PresenceStats } from './presence-stats';

/** Public and anonymous: what the landing page says before anything is asked. No personal data. */
@Controller('status')
export class StatusController {
  constructor(
    private readonly queue: HelpQueue,
    private readonly presence: PresenceStats,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async status(): Promise<ServiceStatusResponse> {
    const [waiting, { repsOnline, repsBusy }] = await Promise.all([this.queue.waiting(), this.presence.snapshot()]);
    const free = Math.max(0, repsOnline - repsBusy);
    // The next customer waits behind everyone already waiting; with free reps and nobody waiting, no wait.
    const estimatedWaitMs =
      repsOnline === 0
        ? null
        : free > 0 && waiting.length === 0
          ? 0
          : await this.queue.estimateWaitMs(Math.ceil((waiting.length + 1) / Math.max(1, repsOnline)));
    return { repsOnline, waiting: waiting.length, estimatedWaitMs };
  }
}
