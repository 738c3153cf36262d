import { randomBytes } from 'node:crypto';
import { Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { ServiceKitMetrics } from '@servicekit/api/metrics';
import { CallNotifier, CustomerPresence } from '@servicekit/api/match';
import { AlreadyClaimedError, CustomerClaims, Eligibility, HelpQueue } from '@servicekit/api/queue';
import { CUSTOMER_TOKEN_TTL_SECONDS, RepIdentity, TokenService } from '@servicekit/api/rep-auth';
import { KeyValueStore } from '@servicekit/api/store';
import { VideoProvider } from '@servicekit/api/video';
import type {
  ClaimNextResponse,
  CreateHelpSessionResponse,
  CustomerState,
  EndReason,
  QueuePositionResponse,
  RepState,
  VideoCredentials,
} from '@servicekit/contracts';
import { AlreadyTakenError, HelpSessionEndedError, HelpSessionNotFoundError, NotInQueueError } from './help-session.errors';

/** What is stored per help session. The only personal data in the store; deleted when the session ends. */
interface HelpSessionRecord {
  customerName: string;
  problemText: string;
  videoSessionId: string;
  createdAt: number;
}

/**
 * The current (or last) match of a help session, until the session ends: ids, times, the video session and
 * the rep's display name (shown to the customer). Nothing about the customer; no credentials (they are
 * minted when a side needs them).
 */
export interface MatchRecord {
  matchId: string;
  helpSessionId: string;
  repId: string;
  repName: string;
  videoSessionId: string;
  claimedAt: number;
  enqueuedAt: number;
}

/** How a help session ended, kept after the end so that retries and reconnecting clients hear "ended". */
interface EndMarker {
  reason: EndReason;
  /** The rep who had taken it, so that rep may repeat the end. */
  repId: string | null;
}

/** How a reservation ended: confirmed (both media up) or handed back. Decided once, by `add`. */
type MatchStart = 'confirmed' | 'no-show' | 'rep-left' | 'ended';

/** Help sessions live as long as a customer token: nothing personal outlives it. */
const SESSION_TTL = CUSTOMER_TOKEN_TTL_SECONDS;

/**
 * Help sessions from creation to end: the queue, the two-phase match (a claim reserves; both sides' media
 * confirm it; a no-show or a rep who leaves hands the customer back to the front), and the end.
 * Every fact lives in the store, so any instance can take any step.
 */
@Injectable()
export class HelpSessionService implements CustomerClaims, OnModuleDestroy {
  private readonly logger = new Logger(HelpSessionService.name);
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly noShowMs: number;

  constructor(
    private readonly store: KeyValueStore,
    private readonly queue: HelpQueue,
    private readonly video: VideoProvider,
    private readonly tokens: TokenService,
    config: ServiceKitConfig,
    @Optional() private readonly presence?: CustomerPresence,
    @Optional() private readonly notifier?: CallNotifier,
    @Optional() private readonly metrics?: ServiceKitMetrics,
  ) {
    this.noShowMs = config.noShowMs;
  }

  onModuleDestroy() {
    this.timers.forEach((timer) => clearTimeout(timer));
  }

  async create(customerName: string, problemText: string): Promise<CreateHelpSessionResponse> {
    const id = randomBytes(16).toString('base64url');
    const videoSessionId = await this.video.createSession();
    const record: HelpSessionRecord = { customerName, problemText, videoSessionId, createdAt: Date.now() };
    await this.store.set(this.recordKey(id), JSON.stringify(record), SESSION_TTL);
    const video = await this.video.credentials(videoSessionId, { role: 'customer', id });
    return { id, customerToken: this.tokens.issueCustomerToken(id), video };
  }

  /** Idempotent: a retry returns the same place. */
  async enqueue(id: string): Promise<QueuePositionResponse> {
    await this.requireOpen(id);
    try {
      await this.presence?.expect(id);
      const place = await this.queue.enqueue(id);
      return { position: place.position, estimatedWaitMs: place.estimatedWaitMs };
    } catch (error) {
      if (error instanceof AlreadyClaimedError) throw new AlreadyTakenError('A representative has already taken this help session.');
      throw error;
    }
  }

  /** Leaves the queue and ends the help session, unless a rep already took it. A retry is a success. */
  async cancel(id: string): Promise<void> {
    const state = await this.state(id);
    if (state === 'missing') throw new HelpSessionNotFoundError();
    if (state === 'ended') return;
    const outcome = await this.queue.cancel(id);
    if (outcome === 'taken') throw new AlreadyTakenError();
    if (outcome === 'not-queued') throw new NotInQueueError();
    this.metrics?.cancelled();
    await this.finish(id, 'cancelled');
  }

  /** Ends the help session for everyone (customer or matched rep), and tells the other side. Idempotent. */
  async end(id: string, reason: EndReason): Promise<void> {
    const state = await this.state(id);
    if (state === 'missing') throw new HelpSessionNotFoundError();
    if (state === 'ended') return;
    await this.queue.cancel(id);
    await this.finish(id, reason);
  }

  /** The rep that took this help session, if any (also after it ended, until the end marker expires). */
  async matchedRep(id: string): Promise<string | null> {
    const match = await this.match(id);
    if (match) return match.repId;
    return (await this.endMarker(id))?.repId ?? null;
  }

  /** Personal data, for operators who explicitly ask for it (`?pii=1`); null once the session ended. */
  async personalData(id: string): Promise<{ customerName: string; problemText: string } | null> {
    const raw = await this.store.get(this.recordKey(id));
    if (raw === null) return null;
    const { customerName, problemText } = JSON.parse(raw) as HelpSessionRecord;
    return { customerName, problemText };
  }

  /**
   * Reserves the first present waiting customer for the rep: the personal data and a rep video token. With
   * `waitMs` it waits that long for someone to arrive. The customer's media must follow within NO_SHOW_MS.
   */
  async claimNext(rep: RepIdentity, waitMs = 0, signal?: AbortSignal): Promise<ClaimNextResponse | null> {
    const eligible: Eligibility = async (id) => {
      if ((await this.store.get(this.endKey(id))) !== null) return 'gone';
      return this.presence ? this.presence.check(id) : 'yes';
    };
    const deadline = Date.now() + waitMs;
    for (;;) {
      const remaining = Math.max(0, deadline - Date.now());
      const claim =
        remaining > 0
          ? await this.queue.claimNextWaiting(rep.repId, eligible, remaining, signal)
          : await this.queue.claimNext(rep.repId, eligible);
      if (!claim) return null;
      const raw = await this.store.get(this.recordKey(claim.helpSessionId));
      // Ended between the eligibility check and the claim: the ticket is settled, look further.
      if (raw === null) continue;
      const record = JSON.parse(raw) as HelpSessionRecord;
      const now = Date.now();
      const match: MatchRecord = {
        matchId: `m_${randomBytes(12).toString('base64url')}`,
        helpSessionId: claim.helpSessionId,
        repId: rep.repId,
        repName: rep.name,
        videoSessionId: record.videoSessionId,
        claimedAt: now,
        enqueuedAt: now - claim.waitedMs,
      };
      const [repVideo, customerVideo] = await Promise.all([
        this.video.credentials(record.videoSessionId, { role: 'rep', id: rep.repId }),
        this.customerVideo(match),
      ]);
      await Promise.all([
        this.store.set(this.matchKey(claim.helpSessionId), JSON.stringify(match), SESSION_TTL),
        this.store.set(this.repMatchKey(rep.repId), claim.helpSessionId, SESSION_TTL),
      ]);
      this.schedule(() => this.checkNoShow(match), this.noShowMs);
      this.metrics?.matched(claim.waitedMs, now - record.createdAt);
      await this.notify(
        match,
        { state: 'reserved', matchId: match.matchId, repName: rep.name, video: customerVideo, noShowMs: this.noShowMs },
        {
          state: 'reserved',
          matchId: match.matchId,
          helpSessionId: match.helpSessionId,
        },
      );
      return {
        matchId: match.matchId,
        helpSession: {
          id: claim.helpSessionId,
          customerName: record.customerName,
          problemText: record.problemText,
          waitedMs: claim.waitedMs,
        },
        video: repVideo,
        noShowMs: this.noShowMs,
      };
    }
  }

  /**
   * One side's media is up. When both are, the match is confirmed (once) and both are told. Reports for an
   * earlier match of the same help session are ignored.
   */
  async mediaConnected(helpSessionId: string, matchId: string, side: 'customer' | 'rep'): Promise<boolean> {
    const match = await this.match(helpSessionId);
    if (!match || match.matchId !== matchId) return false;
    await this.store.add(`m:${matchId}:${side}`, '1', SESSION_TTL);
    const other = await this.store.get(`m:${matchId}:${side === 'customer' ? 'rep' : 'customer'}`);
    if (other === null) return true;
    if (await this.store.add(this.startKey(matchId), 'confirmed' satisfies MatchStart, SESSION_TTL)) {
      await this.notify(
        match,
        { state: 'in-call', matchId, repName: match.repName, video: await this.customerVideo(match) },
        { state: 'in-call', matchId, helpSessionId },
      );
    }
    return true;
  }

  /** The rep is gone for good (no connection within the grace period): hand back or end its match. */
  async repLeft(repId: string): Promise<void> {
    const helpSessionId = await this.store.get(this.repMatchKey(repId));
    if (helpSessionId === null) return;
    const match = await this.match(helpSessionId);
    if (!match || match.repId !== repId) return;
    if (await this.store.add(this.startKey(match.matchId), 'rep-left' satisfies MatchStart, SESSION_TTL)) {
      await this.handBack(match);
    } else if ((await this.store.get(this.startKey(match.matchId))) === 'confirmed' && (await this.state(helpSessionId)) === 'open') {
      await this.finish(helpSessionId, 'rep-left');
    }
  }

  /** The customer is gone for good: out of the queue, or the call ends; the personal data goes. */
  async customerLeft(helpSessionId: string): Promise<void> {
    if ((await this.state(helpSessionId)) !== 'open') return;
    if ((await this.queue.cancel(helpSessionId)) === 'cancelled') this.metrics?.abandoned();
    await this.finish(helpSessionId, 'customer-left');
  }

  /** What the customer should see now (sent on every (re)connection). */
  async customerState(helpSessionId: string): Promise<CustomerState> {
    const ended = await this.endMarker(helpSessionId);
    if (ended !== null) return { state: 'ended', reason: ended.reason };
    const match = await this.match(helpSessionId);
    if (match) {
      const start = (await this.store.get(this.startKey(match.matchId))) as MatchStart | null;
      // Fresh credentials on every (re)join: none are kept in the store.
      if (start === 'confirmed') {
        return { state: 'in-call', matchId: match.matchId, repName: match.repName, video: await this.customerVideo(match) };
      }
      if (start === null) {
        const video = await this.customerVideo(match);
        return { state: 'reserved', matchId: match.matchId, repName: match.repName, video, noShowMs: this.noShowMs };
      }
    }
    const place = await this.queue.place(helpSessionId);
    return place ? { state: 'waiting', ...place } : { state: 'idle' };
  }

  /** What the rep should see now (sent on every (re)connection). */
  async repState(repId: string): Promise<RepState> {
    const helpSessionId = await this.store.get(this.repMatchKey(repId));
    const match = helpSessionId === null ? null : await this.match(helpSessionId);
    if (match && match.repId === repId && (await this.state(match.helpSessionId)) === 'open') {
      const start = await this.store.get(this.startKey(match.matchId));
      if (start === 'confirmed') return { state: 'in-call', matchId: match.matchId, helpSessionId: match.helpSessionId };
      if (start === null) return { state: 'reserved', matchId: match.matchId, helpSessionId: match.helpSessionId };
    }
    return { state: 'available', waiting: (await this.queue.waiting()).length };
  }

  /** The other party of the help session's current match, for relaying call signals; null when none. */
  async partnerOf(helpSessionId: string): Promise<MatchRecord | null> {
    if ((await this.state(helpSessionId)) !== 'open') return null;
    const match = await this.match(helpSessionId);
    if (!match) return null;
    const start = await this.store.get(this.startKey(match.matchId));
    return start === null || start === 'confirmed' ? match : null;
  }

  /** The help session a rep is matched with now, if any. */
  async currentMatchOfRep(repId: string): Promise<MatchRecord | null> {
    const helpSessionId = await this.store.get(this.repMatchKey(repId));
    if (helpSessionId === null) return null;
    const match = await this.partnerOf(helpSessionId);
    return match?.repId === repId ? match : null;
  }

  private async checkNoShow(match: MatchRecord): Promise<void> {
    if ((await this.store.get(`m:${match.matchId}:customer`)) !== null) return;
    if (!(await this.store.add(this.startKey(match.matchId), 'no-show' satisfies MatchStart, SESSION_TTL))) return;
    this.metrics?.noShow();
    await this.handBack(match, true);
  }

  /** The customer goes back to the very front; both sides hear of it. */
  private async handBack(match: MatchRecord, noShow = false): Promise<void> {
    await this.releaseRep(match);
    if ((await this.state(match.helpSessionId)) !== 'open') return;
    const place = await this.queue.returnToFront(match.helpSessionId, match.enqueuedAt);
    const waiting = (await this.queue.waiting()).length;
    await this.notify(
      match,
      { state: 'waiting', ...place },
      noShow ? { state: 'no-show', helpSessionId: match.helpSessionId, waiting } : { state: 'available', waiting },
    );
  }

  private async notify(match: MatchRecord, customer: CustomerState, rep: RepState): Promise<void> {
    if (!this.notifier) return;
    await Promise.all([this.notifier.customer(match.helpSessionId, customer), this.notifier.rep(match.repId, rep)]);
  }

  private schedule(task: () => Promise<void>, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task().catch((error: unknown) => this.logger.error(`A scheduled match check failed: ${(error as Error).message}`));
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private async requireOpen(id: string): Promise<void> {
    const state = await this.state(id);
    if (state === 'missing') throw new HelpSessionNotFoundError();
    if (state === 'ended') throw new HelpSessionEndedError();
  }

  private async state(id: string): Promise<'open' | 'ended' | 'missing'> {
    const [record, ended] = await Promise.all([this.store.get(this.recordKey(id)), this.store.get(this.endKey(id))]);
    if (ended !== null) return 'ended';
    return record === null ? 'missing' : 'open';
  }

  /**
   * Ends it once (decided by `add` of the end marker): the record with the personal data and the match go;
   * only the end marker (a reason and a rep id) stays, for retries and reconnecting clients.
   */
  private async finish(id: string, reason: EndReason): Promise<void> {
    const match = await this.match(id);
    const marker: EndMarker = { reason, repId: match?.repId ?? null };
    if (!(await this.store.add(this.endKey(id), JSON.stringify(marker), SESSION_TTL))) return;
    await Promise.all([this.store.delete(this.recordKey(id)), this.store.delete(this.matchKey(id))]);
    if (!match) {
      await this.notifier?.customer(id, { state: 'ended', reason });
      return;
    }
    await this.store.add(this.startKey(match.matchId), 'ended' satisfies MatchStart, SESSION_TTL);
    await this.releaseRep(match);
    const waiting = (await this.queue.waiting()).length;
    await this.notify(match, { state: 'ended', reason }, { state: 'ended', helpSessionId: id, reason, waiting });
  }

  /** The rep is free again, unless it has moved on to another help session already. */
  private async releaseRep(match: MatchRecord): Promise<void> {
    if ((await this.store.get(this.repMatchKey(match.repId))) === match.helpSessionId) {
      await this.store.delete(this.repMatchKey(match.repId));
    }
  }

  private customerVideo(match: MatchRecord): Promise<VideoCredentials> | VideoCredentials {
    return this.video.credentials(match.videoSessionId, { role: 'customer', id: match.helpSessionId });
  }

  private async endMarker(id: string): Promise<EndMarker | null> {
    const raw = await this.store.get(this.endKey(id));
    return raw === null ? null : (JSON.parse(raw) as EndMarker);
  }

  private async match(id: string): Promise<MatchRecord | null> {
    const raw = await this.store.get(this.matchKey(id));
    return raw === null ? null : (JSON.parse(raw) as MatchRecord);
  }

  private recordKey(id: string) {
    return `hs:${id}`;
  }

  private endKey(id: string) {
    return `hs:${id}:end`;
  }

  private matchKey(id: string) {
    return `hs:${id}:match`;
  }

  private startKey(matchId: string) {
    return `m:${matchId}:start`;
  }

  private repMatchKey(repId: string) {
    return `rep:${repId}:match`;
  }
}
