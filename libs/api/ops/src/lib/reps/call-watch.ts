import { Logger } from '@nestjs/common';
import { CallNotifier } from '@servicekit/api/match';
import { RepSessions } from '@servicekit/api/rep-auth';
import type { CustomerState, RepState } from '@servicekit/contracts';
import { RepFigures } from './rep-figures.records';

/**
 * Sits in front of the CallNotifier (the composition root puts it there) and counts, from the states the
 * match pushes to reps, each rep's calls and handle time. It only watches: every state goes on unchanged.
 */
export class CallWatch extends CallNotifier {
  private readonly logger = new Logger(CallWatch.name);

  constructor(
    private readonly inner: CallNotifier,
    private readonly figures: RepFigures,
    private readonly sessions: RepSessions,
  ) {
    super();
  }

  customer(helpSessionId: string, state: CustomerState): Promise<void> {
    return this.inner.customer(helpSessionId, state);
  }

  async rep(repId: string, state: RepState): Promise<void> {
    await this.count(repId, state).catch((error: unknown) => this.logger.warn(`A rep's call was not counted: ${(error as Error).message}`));
    await this.inner.rep(repId, state);
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
