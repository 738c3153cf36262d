import { randomBytes } from 'node:crypto';
import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { DueList } from '@servicekit/api/due-list';
import { ServiceKitMetrics } from '@servicekit/api/metrics';
import { CustomerClaims, Eligibility, HelpQueue } from '@servicekit/api/queue';
import type { RepIdentity } from '@servicekit/api/rep-auth';
import { KeyValueStore } from '@servicekit/api/store';
import { VideoProvider } from '@servicekit/api/video';
import type { ClaimNextResponse, CustomerState, RepState, VideoCredentials } from '@servicekit/contracts';
import { CallNotifier, CustomerPresence, HelpSessionFacts } from './match.ports';
import { MatchRecord, MatchRecords, MediaSide } from './match.records';

/** What became of a rep's match when the rep left for good. */
export type RepLeaveOutcome =
  | { kind: 'none' }
  | { kind: 'handed-back'; helpSessionId: string }
  | { kind: 'call-ended'; helpSessionId: string };

/** Reps busy with a customer, and of those, in a confirmed call. */
export interface RepLoad {
  busy: number;
  inCall: number;
}

/** A help session's reservation or call in progress. */
export interface CurrentCall {
  match: MatchRecord;
  confirmed: boolean;
}

/** The no-show deadline of one match, in the due list. */
interface NoShowDue {
  at: number;
  helpSessionId: string;
  matchId: string;
}

/** How long an away marker outlives the rejoin window, so that the deadline always finds it. */
const AWAY_MARGIN_MS = 60_000;

/**
 * The two-phase match: a claim reserves the first present waiting customer for a rep; both sides' media
 * confirm it; a no-show or a rep who leaves first hands the customer back to the very front. How a
 * reservation ends is decided once, by `add` of its start key, so repeated deadlines and reports and several
 * instances acting at once are harmless. Every fact lives in the store, the no-show deadline included (a due
 * list every instance sweeps): any instance can take any step, whatever happened to the one that claimed.
 */
@Injectable()
export class MatchService extends CustomerClaims implements OnModuleInit, OnModuleDestroy {
  private readonly noShows: DueList<NoShowDue>;
  private readonly noShowMs: number;
  private readonly awayTtl: number;
  /** Reps waiting on this instance for a customer to arrive (long polls), until the instance drains. */
  private readonly waits = new Set<AbortController>();
  private draining = false;

  constructor(
    private readonly records: MatchRecords,
    private readonly queue: HelpQueue,
    private readonly video: VideoProvider,
    private readonly sessions: HelpSessionFacts,
    private readonly presence: CustomerPresence,
    private readonly notifier: CallNotifier,
    private readonly metrics: ServiceKitMetrics,
    config: ServiceKitConfig,
    store: KeyValueStore,
  ) {
    super();
    this.noShowMs = config.noShowMs;
    this.awayTtl = Math.ceil((config.callRejoinMs + AWAY_MARGIN_MS) / 1000);
    this.noShows = new DueList<NoShowDue>(store, {
      name: 'ns',
      // Another instance's clock may be a little behind: the deadline is the entry's.
      handle: async (due) => {
        await this.settleDue(due.helpSessionId, Math.max(Date.now(), due.at), due.matchId);
      },
    });
  }

  async onModuleInit(): Promise<void> {
    await this.noShows.start();
  }

  onModuleDestroy() {
    this.noShows.stop();
  }

  /**
   * Reserves the first present waiting customer for the rep: the personal data and a rep video token. With
   * `waitMs` it waits that long for someone to arrive. The customer's media must follow within NO_SHOW_MS.
   */
  async claimNext(rep: RepIdentity, waitMs = 0, signal?: AbortSignal): Promise<ClaimNextResponse | null> {
    const wait = new AbortController();
    const giveUp = () => wait.abort();
    if (this.draining) wait.abort();
    this.waits.add(wait);
    signal?.addEventListener('abort', giveUp, { once: true });
    try {
      return await this.claimFor(rep, Date.now() + waitMs, wait.signal);
    } finally {
      this.waits.delete(wait);
      signal?.removeEventListener('abort', giveUp);
    }
  }

  /**
   * The instance drains: every rep waiting here for a customer is answered at once (with a customer if one
   * waits, else nobody yet) and asks again, through the load balancer, on another instance; later claims do not
   * wait. A rep's wait (up to 25 s) would otherwise outlast the drain and be cut.
   */
  endWaits(): void {
    this.draining = true;
    this.waits.forEach((wait) => wait.abort());
  }

  private async claimFor(rep: RepIdentity, deadline: number, signal: AbortSignal): Promise<ClaimNextResponse | null> {
    const eligible: Eligibility = async (id) => ((await this.sessions.hasEnded(id)) ? 'gone' : this.presence.check(id));
    for (;;) {
      const remaining = Math.max(0, deadline - Date.now());
      const claim =
        remaining > 0 && !signal.aborted
          ? await this.queue.claimNextWaiting(rep.repId, eligible, remaining, signal)
          : await this.queue.claimNext(rep.repId, eligible);
      if (!claim) return null;
      const customer = await this.sessions.customer(claim.helpSessionId);
      // Ended between the eligibility check and the claim: the ticket is settled, look further.
      if (customer === null) continue;
      const now = Date.now();
      const match: MatchRecord = {
        matchId: `m_${randomBytes(12).toString('base64url')}`,
        helpSessionId: claim.helpSessionId,
        repId: rep.repId,
        repName: rep.name,
        videoSessionId: customer.videoSessionId,
        claimedAt: now,
        enqueuedAt: now - claim.waitedMs,
        noShowAt: now + this.noShowMs,
      };
      const [repVideo, customerVideo] = await Promise.all([
        this.repVideo(match),
        this.customerVideo(match),
        this.records.save(match),
        this.noShows.schedule({ at: match.noShowAt, helpSessionId: match.helpSessionId, matchId: match.matchId }),
      ]);
      this.metrics.matched(claim.waitedMs, now - customer.createdAt);
      await this.notify(
        match,
        { state: 'reserved', matchId: match.matchId, repName: rep.name, video: customerVideo, noShowMs: this.noShowMs },
        { state: 'reserved', matchId: match.matchId, helpSessionId: match.helpSessionId },
      );
      return {
        matchId: match.matchId,
        helpSession: {
          id: claim.helpSessionId,
          customerName: customer.customerName,
          problemText: customer.problemText,
          waitedMs: claim.waitedMs,
          ...(customer.verified && { verified: customer.verified }),
        },
        video: repVideo,
        noShowMs: this.noShowMs,
      };
    }
  }

  /**
   * The rep's current reservation or call, as the claim handed it out, with fresh rep video credentials (and
   * what is left of the no-show deadline): a reloaded console resumes the same match. Null when there is none
   * or its help session is over.
   */
  async currentClaim(rep: RepIdentity): Promise<ClaimNextResponse | null> {
    const match = await this.currentMatchOfRep(rep.repId);
    if (!match) return null;
    const customer = await this.sessions.customer(match.helpSessionId);
    if (customer === null) return null;
    return {
      matchId: match.matchId,
      helpSession: {
        id: match.helpSessionId,
        customerName: customer.customerName,
        problemText: customer.problemText,
        waitedMs: match.claimedAt - match.enqueuedAt,
      },
      video: await this.video.credentials(match.videoSessionId, { role: 'rep', id: rep.repId }),
      noShowMs: Math.max(0, match.noShowAt - Date.now()),
    };
  }

  /**
   * One side's media is up. When both are, the match is confirmed (once) and both are told. Reports for an
   * earlier match of the same help session are ignored.
   */
  async mediaConnected(helpSessionId: string, matchId: string, side: MediaSide): Promise<boolean> {
    const match = await this.records.ofSession(helpSessionId);
    if (!match || match.matchId !== matchId) return false;
    await this.records.reportMedia(matchId, side);
    if (!(await this.records.mediaUp(matchId, side === 'customer' ? 'rep' : 'customer'))) return true;
    if (await this.records.decide(matchId, 'confirmed')) await this.notifyInCall(match);
    return true;
  }

  /**
   * Settles the help session's reservation (of `matchId`, if given) when its no-show deadline has passed (by
   * `now`) without the customer's media: the customer goes back to the front. Any instance may call it, any
   * number of times; every instance's sweep of the due list calls it at the deadline. True for the call
   * that handed back.
   */
  async settleDue(helpSessionId: string, now = Date.now(), matchId?: string): Promise<boolean> {
    const match = await this.records.ofSession(helpSessionId);
    if (!match || now < match.noShowAt || (matchId !== undefined && match.matchId !== matchId)) return false;
    if (await this.records.mediaUp(match.matchId, 'customer')) return false;
    if (!(await this.records.decide(match.matchId, 'no-show'))) return false;
    this.metrics.noShow();
    await this.handBack(match, true);
    return true;
  }

  /**
   * The rep is gone for good (no connection within the grace period): a reservation goes back to the front;
   * a confirmed call is over, which the caller ends (ending a help session is not the match's to do).
   */
  async repLeft(repId: string): Promise<RepLeaveOutcome> {
    const helpSessionId = await this.records.sessionOfRep(repId);
    if (helpSessionId === null) return { kind: 'none' };
    const match = await this.records.ofSession(helpSessionId);
    if (!match || match.repId !== repId) return { kind: 'none' };
    if (await this.records.decide(match.matchId, 'rep-left')) {
      await this.handBack(match);
      return { kind: 'handed-back', helpSessionId };
    }
    return (await this.records.start(match.matchId)) === 'confirmed' ? { kind: 'call-ended', helpSessionId } : { kind: 'none' };
  }

  /**
   * A side of a confirmed call lost its connection: its partner is told at once (the call goes on if the side
   * is back within the rejoin window). `who` is the help session for the customer, the rep id for the rep.
   * False when that side is in no confirmed call (a reservation has its own deadlines).
   */
  async away(side: MediaSide, who: string): Promise<boolean> {
    const match = await this.confirmedMatch(side, who);
    if (!match) return false;
    await this.records.markAway(match.matchId, side, this.awayTtl);
    await this.notifyInCall(match, side === 'customer' ? 'rep' : 'customer');
    return true;
  }

  /** The side is connected again: if its partner was told it was away, the partner hears it is back. */
  async back(side: MediaSide, who: string): Promise<void> {
    const match = await this.confirmedMatch(side, who);
    if (match && (await this.records.clearAway(match.matchId, side)))
      await this.notifyInCall(match, side === 'customer' ? 'rep' : 'customer');
  }

  /** The help session's current match, if any. */
  current(helpSessionId: string): Promise<MatchRecord | null> {
    return this.records.ofSession(helpSessionId);
  }

  /** The help session's reservation or confirmed call, if one is in progress. */
  async callOf(helpSessionId: string): Promise<CurrentCall | null> {
    const match = await this.records.ofSession(helpSessionId);
    if (!match) return null;
    const start = await this.records.start(match.matchId);
    if (start !== null && start !== 'confirmed') return null;
    return { match, confirmed: start === 'confirmed' };
  }

  /**
   * The store lost a confirmed call (a restart) that the instance holding the customer's socket remembers:
   * it is written back as it was, so the call goes on and ends as any call does.
   */
  async restoreCall(match: MatchRecord): Promise<void> {
    await this.records.restoreConfirmed(match);
  }

  /**
   * The help session has ended: its match goes, the reservation is decided `ended` (so late timers and
   * reports change nothing) and the rep is free again.
   */
  async sessionEnded(match: MatchRecord): Promise<void> {
    await this.records.forget(match.helpSessionId);
    await this.records.decide(match.matchId, 'ended');
    await this.records.releaseRep(match.repId, match.helpSessionId);
  }

  /** The customer's view of a reservation or call in progress (fresh credentials each time); null when none. */
  async customerView(helpSessionId: string): Promise<CustomerState | null> {
    const match = await this.records.ofSession(helpSessionId);
    if (!match) return null;
    const start = await this.records.start(match.matchId);
    if (start === 'confirmed') return this.customerInCall(match);
    if (start === null) {
      const video = await this.customerVideo(match);
      return { state: 'reserved', matchId: match.matchId, repName: match.repName, video, noShowMs: this.noShowMs };
    }
    return null;
  }

  /** What the rep should see now (sent on every (re)connection). */
  async repState(repId: string): Promise<RepState> {
    const match = await this.currentMatchOfRep(repId);
    if (match) {
      const start = await this.records.start(match.matchId);
      if (start === 'confirmed') return this.repInCall(match);
      if (start === null) return { state: 'reserved', matchId: match.matchId, helpSessionId: match.helpSessionId };
    }
    return { state: 'available', waiting: await this.queue.length() };
  }

  /** The help session's match while it is reserved or in a call, for relaying call signals; null otherwise. */
  async partnerOf(helpSessionId: string): Promise<MatchRecord | null> {
    const match = await this.records.ofSession(helpSessionId);
    if (!match) return null;
    const start = await this.records.start(match.matchId);
    return start === null || start === 'confirmed' ? match : null;
  }

  /** The match a rep is in now (reserved or in a call), if any. */
  async currentMatchOfRep(repId: string): Promise<MatchRecord | null> {
    const helpSessionId = await this.records.sessionOfRep(repId);
    if (helpSessionId === null) return null;
    const match = await this.partnerOf(helpSessionId);
    return match?.repId === repId ? match : null;
  }

  /** Of these reps, how many are matched with a customer, and how many of those are in a confirmed call. */
  async activityOf(repIds: string[]): Promise<RepLoad> {
    const sessions = (await this.records.sessionsOfReps(repIds)).filter((id): id is string => id !== null);
    const matches = (await Promise.all(sessions.map((id) => this.records.ofSession(id)))).filter((m): m is MatchRecord => m !== null);
    const starts = await Promise.all(matches.map((match) => this.records.start(match.matchId)));
    return { busy: sessions.length, inCall: starts.filter((start) => start === 'confirmed').length };
  }

  /** The customer goes back to the very front, keeping the original enqueue time; both sides hear of it. */
  private async handBack(match: MatchRecord, noShow = false): Promise<void> {
    await this.records.releaseRep(match.repId, match.helpSessionId);
    if (!(await this.sessions.isOpen(match.helpSessionId))) return;
    const place = await this.queue.returnToFront(match.helpSessionId, match.enqueuedAt);
    const waiting = await this.queue.length();
    await this.notify(
      match,
      { state: 'waiting', ...place },
      noShow ? { state: 'no-show', helpSessionId: match.helpSessionId, waiting } : { state: 'available', waiting },
    );
  }

  /** The match of the side's confirmed call, if it is in one. */
  private async confirmedMatch(side: MediaSide, who: string): Promise<MatchRecord | null> {
    const helpSessionId = side === 'customer' ? who : await this.records.sessionOfRep(who);
    if (helpSessionId === null) return null;
    const call = await this.callOf(helpSessionId);
    if (!call?.confirmed || (side === 'rep' && call.match.repId !== who)) return null;
    return call.match;
  }

  /** Both sides (or only `only`) hear the call's state, with fresh credentials and whether the partner is away. */
  private async notifyInCall(match: MatchRecord, only?: MediaSide): Promise<void> {
    const told: Promise<void>[] = [];
    if (only !== 'rep') told.push(this.customerInCall(match).then((state) => this.notifier.customer(match.helpSessionId, state)));
    if (only !== 'customer') told.push(this.repInCall(match).then((state) => this.notifier.rep(match.repId, state)));
    await Promise.all(told);
  }

  private async customerInCall(match: MatchRecord): Promise<CustomerState> {
    const [video, partnerAway] = await Promise.all([this.customerVideo(match), this.records.isAway(match.matchId, 'rep')]);
    return { state: 'in-call', matchId: match.matchId, repName: match.repName, video, partnerAway };
  }

  private async repInCall(match: MatchRecord): Promise<RepState> {
    const [video, partnerAway] = await Promise.all([this.repVideo(match), this.records.isAway(match.matchId, 'customer')]);
    return { state: 'in-call', matchId: match.matchId, helpSessionId: match.helpSessionId, video, partnerAway };
  }

  private customerVideo(match: MatchRecord): Promise<VideoCredentials> | VideoCredentials {
    return this.video.credentials(match.videoSessionId, { role: 'customer', id: match.helpSessionId });
  }

  private repVideo(match: MatchRecord): Promise<VideoCredentials> | VideoCredentials {
    return this.video.credentials(match.videoSessionId, { role: 'rep', id: match.repId });
  }

  private async notify(match: MatchRecord, customer: CustomerState, rep: RepState): Promise<void> {
    await Promise.all([this.notifier.customer(match.helpSessionId, customer), this.notifier.rep(match.repId, rep)]);
  }
}
