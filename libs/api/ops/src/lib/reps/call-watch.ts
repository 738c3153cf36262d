import { Logger } from '@nestjs/common';
import { CallNotifier } from '@servicekit/api/match';
import { RepSessions, RepStatusService } from '@servicekit/api/rep-auth';
import type { CustomerState, RepState } from '@servicekit/contracts';
import { RepFigures } from './rep-figures.records';

/**
 * Sits in front of the CallNotifier (the composition root puts it there) and counts, from the states the
 * match pushes to reps, each rep's calls and handle time, and keeps the server's part of each rep's status
 * (in-call from a reservation on, wrap-up after the end). It only watches: every state goes on unchanged.
 */
export class CallWatch extends CallNotifier {
  private readonly logger = new Logger(CallWatch.name);

  constructor(
    private readonly inner: CallNotifier,
    private readonly figures: RepFigures,
    private readonly sessions: RepSessions,
    private readonly status: RepStatusService,
  ) {
    super();
  }

  customer(helpSessionId: string, state: CustomerState): Promise<void> {
    return this.inner.customer(helpSessionId, state);
  }

  async rep(repId: string, state: RepState): Promise<void> {
    await Promise.all([
      this.count(repId, state).catch((error: unknown) => this.logger.warn(`A rep's call was not counted: ${(error as Error).message}`)),
      this.track(repId, state).catch((error: unknown) => this.logger.warn(`A rep's status was not updated: ${(error as Error).message}`)),
    ]);
    await this.inner.rep(repId, state);
  }

  /** Only the reservation sets in-call (a later in-call push racing the end must not bring it back). */
  private async track(repId: string, state: RepState): Promise<void> {
    if (state.state === 'reserved') await this.status.callStarted(repId);
    else if (state.state === 'ended') await this.status.callEnded(repId);
    else if (state.state === 'no-show' || state.state === 'available') await this.status.callDropped(repId);
  }

  private async count(repId: string, state: RepState): Promise<void> {
    if (state.state === 'in-call') {
      const session = await this.sessions.find(repId);
      await this.figures.callStarted(repId, session?.account ?? `rep:${repId}`);
    } else if (state.state === 'ended') {
      await this.figures.callEnded(repId);
    } else if (state.state === 'no-show') {
      await this.figures.callDropped(repId);
    }
  }
}
