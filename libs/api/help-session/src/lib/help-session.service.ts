import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { IntakeService } from '@servicekit/api/hours';
import { ServiceKitMetrics } from '@servicekit/api/metrics';
import { CallNotifier, CustomerPresence, MatchService } from '@servicekit/api/match';
import { AlreadyClaimedError, HelpQueue } from '@servicekit/api/queue';
import { TokenService } from '@servicekit/api/rep-auth';
import { VideoProvider } from '@servicekit/api/video';
import type {
  CheckContextResponse,
  CreateHelpSessionResponse,
  CustomerState,
  EndReason,
  QueuePositionResponse,
  VerifiedContext,
} from '@servicekit/contracts';
import { EmbedContextVerifier } from './embed-context.verifier';
import { AlreadyTakenError, HelpSessionEndedError, HelpSessionNotFoundError, NotInQueueError } from './help-session.errors';
import { HelpSessionRecords } from './help-session.records';
import { SessionErasure } from './help-session.ports';

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
    private readonly contexts: EmbedContextVerifier,
    private readonly intake: IntakeService,
    private readonly erasure: SessionErasure,
  ) {}

  /**
   * A new help session. A context token from the host site, when valid, adds what it vouches for (the
   * reference, and whether the name is the one it signed); a bad one is ignored, never refused.
   */
  async create(customerName: string, problemText: string, context?: string): Promise<CreateHelpSessionResponse> {
    const id = randomBytes(16).toString('base64url');
    const verified = context === undefined ? undefined : this.verifiedContext(customerName, context);
    const videoSessionId = await this.video.createSession();
    await this.records.create(id, { customerName, problemText, videoSessionId, createdAt: Date.now(), ...(verified && { verified }) });
    const video = await this.video.credentials(videoSessionId, { role: 'customer', id });
    const response: CreateHelpSessionResponse = { id, customerToken: this.tokens.issueCustomerToken(id), video };
    return context === undefined ? response : { ...response, context: verified ? 'verified' : 'ignored' };
  }

  /** Whether a context token would be accepted, and what it would prefill (nothing is stored). */
  checkContext(context: string): CheckContextResponse {
    const check = this.contexts.check(context);
    return check.valid ? { valid: true, ...check.context } : check;
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

  /**
   * The customer's connection is lost. In a confirmed call the rep is told at once and the customer has the
   * rejoin window (true); otherwise the grace period, with nothing to do yet.
   */
  customerAway(id: string): Promise<boolean> {
    return this.matches.away('customer', id);
  }

  repAway(repId: string): Promise<boolean> {
    return this.matches.away('rep', repId);
  }

  /** Back within the window: the call's partner hears of it. */
  async customerBack(id: string): Promise<void> {
    await this.matches.back('customer', id);
  }

  async repBack(repId: string): Promise<void> {
    await this.matches.back('rep', repId);
  }

  /**
   * The customer is gone for good: out of the queue, or the call ends (`rejoin-timeout` when it was
   * confirmed); the personal data goes. Any instance may call it, repeatedly.
   */
  async customerLeft(id: string): Promise<void> {
    if ((await this.records.state(id)) !== 'open') return;
    if ((await this.matches.callOf(id))?.confirmed) {
      await this.finish(id, 'rejoin-timeout');
      return;
    }
    const cancelled = (await this.queue.cancel(id)) === 'cancelled';
    if ((await this.finish(id, 'customer-left')) && cancelled) this.metrics.abandoned();
  }

  /** The rep is gone for good: a reservation goes back to the front (the match does that); a call ends. */
  async repLeft(repId: string): Promise<void> {
    const outcome = await this.matches.repLeft(repId);
    if (outcome.kind === 'call-ended' && (await this.records.state(outcome.helpSessionId)) === 'open') {
      await this.finish(outcome.helpSessionId, 'rejoin-timeout');
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

  private verifiedContext(customerName: string, token: string): VerifiedContext | undefined {
    const check = this.contexts.check(token);
    if (!check.valid) return undefined;
    return { reference: check.context.reference, nameVerified: check.context.customerName === customerName };
  }

  private async requireOpen(id: string): Promise<void> {
    const state = await this.records.state(id);
    if (state === 'missing') throw new HelpSessionNotFoundError();
    if (state === 'ended') throw new HelpSessionEndedError();
  }

  /**
   * Ends it once (decided by `add` of the end marker): the record with the personal data, what other libs
   * keep of it (SessionErasure: the chat) and the match go;
   * only the end marker (a reason and a rep id) stays, for retries and reconnecting clients. True for the
   * one call that ended it.
   */
  private async finish(id: string, reason: EndReason): Promise<boolean> {
    const match = await this.matches.current(id);
    if (!(await this.records.end(id, { reason, repId: match?.repId ?? null }))) return false;
    await this.erasure.erase(id);
    if (!match) {
      await this.notifier.customer(id, { state: 'ended', reason });
      return true;
    }
    await Promise.all([this.matches.sessionEnded(match), this.intake.handled(Date.now() - match.claimedAt)]);
    const waiting = await this.queue.length();
    await Promise.all([
      this.notifier.customer(id, { state: 'ended', reason }),
      this.notifier.rep(match.repId, { state: 'ended', helpSessionId: id, reason, waiting }),
    ]);
    return true;
  }
}
