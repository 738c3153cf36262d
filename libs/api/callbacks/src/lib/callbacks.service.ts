import { Injectable } from '@nestjs/common';
import { HelpSessionService, NotInQueueError } from '@servicekit/api/help-session';
import { ServiceKitMetrics } from '@servicekit/api/metrics';
import type {
  CallbackFigures,
  CallbackListResponse,
  CallbackOutcome,
  CallbackRequestCreated,
  CallbackSummary,
  ClaimedCallback,
} from '@servicekit/contracts';
import { CallbackNotFoundError, CallbackTakenError, NotYourCallbackError } from './callback.errors';
import { CallbackEntry, CallbackRecords } from './callback.records';

export interface NewCallback {
  customerName: string;
  problemText: string;
  phone?: string;
  email?: string;
}

/**
 * Callback requests: a customer leaves one instead of waiting (also when closed, paused, full or nobody is
 * online); reps list the open ones oldest first, one rep claims one (exactly once, decided by one `add`) and
 * closes it as done or not reached, which deletes it with its contact data. Unclosed ones expire after
 * CALLBACK_RETENTION_HOURS.
 */
@Injectable()
export class CallbacksService {
  constructor(
    private readonly records: CallbackRecords,
    private readonly sessions: HelpSessionService,
    private readonly metrics: ServiceKitMetrics,
  ) {}

  /** With `instead`, the customer leaves the queue first (and that help session ends); a rep who already took them wins. */
  async create(request: NewCallback, instead?: string, now = Date.now()): Promise<CallbackRequestCreated> {
    if (instead !== undefined) await this.leaveQueue(instead);
    const id = await this.records.create({ ...contactOnly(request), requestedAt: now });
    this.metrics.callbackRequested();
    return { id, requestedAt: new Date(now).toISOString(), deleteBy: new Date(now + this.records.retentionMs).toISOString() };
  }

  async list(repId: string): Promise<CallbackListResponse> {
    const live = await this.records.live();
    return {
      open: live.filter((c) => c.fate === null).map((c) => summary(c.id, c.entry)),
      claimedByYou: live.filter((c) => c.fate?.kind === 'claimed' && c.fate.repId === repId).map((c) => claimed(c.id, c.entry)),
    };
  }

  /** One winner per request; the winner (and only the winner, also on a retry) gets the contact data. */
  async claim(id: string, repId: string): Promise<ClaimedCallback> {
    const found = await this.records.find(id);
    if (!found) throw new CallbackNotFoundError();
    if (!(await this.records.claim(found.n, repId))) {
      const fate = await this.records.fate(found.n);
      if (fate?.kind !== 'claimed' || fate.repId !== repId) throw new CallbackTakenError();
    }
    return claimed(id, found.entry);
  }

  async close(id: string, repId: string, outcome: CallbackOutcome): Promise<void> {
    const found = await this.records.find(id);
    if (!found) throw new CallbackNotFoundError();
    const fate = await this.records.fate(found.n);
    if (fate?.kind !== 'claimed' || fate.repId !== repId) throw new NotYourCallbackError();
    await this.records.close(found.n, outcome);
    this.metrics.callbackClosed(outcome);
  }

  async figures(): Promise<CallbackFigures> {
    const [live, done, notReached] = await Promise.all([
      this.records.live(),
      this.records.closedCount('done'),
      this.records.closedCount('not_reached'),
    ]);
    const claimedCount = live.filter((c) => c.fate?.kind === 'claimed').length;
    return { open: live.length - claimedCount, claimed: claimedCount, done, notReached };
  }

  private async leaveQueue(helpSessionId: string): Promise<void> {
    try {
      await this.sessions.cancel(helpSessionId);
    } catch (error) {
      // Not waiting (yet, or any more): the help session ends all the same, so nobody is called twice.
      if (!(error instanceof NotInQueueError)) throw error;
      await this.sessions.end(helpSessionId, 'cancelled');
    }
  }
}

function contactOnly(request: NewCallback): Omit<CallbackEntry, 'key' | 'requestedAt'> {
  return {
    customerName: request.customerName,
    problemText: request.problemText,
    ...(request.phone ? { phone: request.phone } : {}),
    ...(request.email ? { email: request.email } : {}),
  };
}

function summary(id: string, entry: CallbackEntry): CallbackSummary {
  return { id, customerName: entry.customerName, problemText: entry.problemText, requestedAt: new Date(entry.requestedAt).toISOString() };
}

function claimed(id: string, entry: CallbackEntry): ClaimedCallback {
  return { ...summary(id, entry), ...(entry.phone ? { phone: entry.phone } : {}), ...(entry.email ? { email: entry.email } : {}) };
}
