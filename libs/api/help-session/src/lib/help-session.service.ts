import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { IntakeService } from '@servicekit/api/hours';
import { ServiceKitMetrics } from '@servicekit/api/metrics';
import { CallNotifier, CustomerPresence, MatchService } from '@servicekit/api/match';
import { AlreadyClaimedError, HelpQueue } from '@servicekit/api/queue';
import { TokenService } from '@servicekit/api/rep-auth';
import { VideoProvider } from '@servicekit/api/video';
import type { CreateHelpSessionResponse, CustomerState, EndReason, QueuePositionResponse } from '@servicekit/contracts';
import { AlreadyTakenError, HelpSessionEndedError, HelpSessionNotFoundError, NotInQueueError } from './help-session.errors';
import { HelpSessionRecords } from './help-session.records';

/**
 * Help sessions from creation to end: the customer's record, the queue, and the end (by the customer, the
 * rep, a cancel or a leave), which deletes the personal data and tells both sides. The match between a rep
 * and the customer is the MatchService's.
 */
@Injectable()
export class HelpSessionService {
  constructor(
    private readonly records: HelpSessionRecords,
    private readonly queue: HelpQueue,
    private readonly matches: MatchService,
    private readonly video: VideoProvider,
    private readonly tokens: TokenService,
    private readonly presence: CustomerPresence,
    private readonly notifier: CallNotifier,
    private readonly metrics: ServiceKitMetrics,
    private readonly intake: IntakeService,
  ) {}

  async create(customerName: string, problemText: string): Promise<CreateHelpSessionResponse> {
    const id = randomBytes(16).toString('base64url');
    const videoSessionId = await this.video.createSession();
    await this.records.create(id, { customerName, problemText, videoSessionId, createdAt: Date.now() });
    const video = await this.video.credentials(videoSessionId, { role: 'customer', id });
    return { id, customerToken: this.tokens.issueCustomerToken(id), video };
  }

  /**
   * Idempotent: a retry returns the same place. A new arrival may be turned away (closed, intake paused, queue
   * full, wait too long); a customer already waiting or taken never is.
   */
  async enqueue(id: string): Promise<QueuePositionResponse> {
    await this.requireOpen(id);
    if ((await this.queue.place(id)) === null && (await this.matches.current(id)) === null) await this.intake.admit();
    try {
      await this.presence.expect(id);
      const place = await this.queue.enqueue(id);
      return { position: place.position, ...(await this.intake.estimate(place.position)) };
    } catch (error) {
      if (error instanceof AlreadyClaimedError) throw new AlreadyTakenError('A representative has already taken this help session.');
      throw error;
    }
  }

  /** Leaves the queue and ends the help session, unless a rep already took it. A retry is a success. */
  async cancel(id: string): Promise<void> {
    const state = await this.records.state(id);
    if (state === 'missing') throw new HelpSessionNotFoundError();
    if (state === 'ended') return;
    const outcome = await this.queue.cancel(id);
    if (outcome === 'taken') throw new AlreadyTakenError();
    if (outcome === 'not-queued') throw new NotInQueueError();
    this.metrics.cancelled();
    await this.finish(id, 'cancelled');
  }

  /** Ends the help session for everyone (customer or matched rep), and tells the other side. Idempotent. */
  async end(id: string, reason: EndReason): Promise<void> {
    const state = await this.records.state(id);
    if (state === 'missing') throw new HelpSessionNotFoundError();
    if (state === 'ended') return;
    await this.queue.cancel(id);
    await this.finish(id, reason);
  }

  /** The rep that took this help session, if any (also after it ended, until the end marker expires). */
  async matchedRep(id: string): Promise<string | null> {
    const match = await this.matches.current(id);
    if (match) return match.repId;
    return (await this.records.endMarker(id))?.repId ?? null;
  }

  /** Personal data, for operators who explicitly ask for it (`?pii=1`); null once the session ended. */
  async personalData(id: string): Promise<{ customerName: string; problemText: string } | null> {
    const record = await this.records.customer(id);
    return record === null ? null : { customerName: record.customerName, problemText: record.problemText };
  }

  /** The customer is gone for good: out of the queue, or the call ends; the personal data goes. */
  async customerLeft(id: string): Promise<void> {
    if ((await this.records.state(id)) !== 'open') return;
    if ((await this.queue.cancel(id)) === 'cancelled') this.metrics.abandoned();
    await this.finish(id, 'customer-left');
  }

  /** The rep is gone for good: a reservation goes back to the front (the match does that); a call ends. */
  async repLeft(repId: string): Promise<void> {
    const outcome = await this.matches.repLeft(repId);
    if (outcome.kind === 'call-ended' && (await this.records.state(outcome.helpSessionId)) === 'open') {
      await this.finish(outcome.helpSessionId, 'rep-left');
    }
  }

  /** What the customer should see now (sent on every (re)connection). */
  async customerState(id: string): Promise<CustomerState> {
    const ended = await this.records.endMarker(id);
    if (ended !== null) return { state: 'ended', reason: ended.reason };
    const call = await this.matches.customerView(id);
    if (call) return call;
    const place = await this.queue.place(id);
    return place ? { state: 'waiting', position: place.position, ...(await this.intake.estimate(place.position)) } : { state: 'idle' };
  }

  private async requireOpen(id: string): Promise<void> {
    const state = await this.records.state(id);
    if (state === 'missing') throw new HelpSessionNotFoundError();
    if (state === 'ended') throw new HelpSessionEndedError();
  }

  /**
   * Ends it once (decided by `add` of the end marker): the record with the personal data and the match go;
   * only the end marker (a reason and a rep id) stays, for retries and reconnecting clients.
   */
  private async finish(id: string, reason: EndReason): Promise<void> {
    const match = await this.matches.current(id);
    if (!(await this.records.end(id, { reason, repId: match?.repId ?? null }))) return;
    if (!match) {
      await this.notifier.customer(id, { state: 'ended', reason });
      return;
    }
    await Promise.all([this.matches.sessionEnded(match), this.intake.handled(Date.now() - match.claimedAt)]);
    const waiting = (await this.queue.waiting()).length;
    await Promise.all([
      this.notifier.customer(id, { state: 'ended', reason }),
      this.notifier.rep(match.repId, { state: 'ended', helpSessionId: id, reason, waiting }),
    ]);
  }
}
