import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ClaimNextResponse, CreateHelpSessionResponse, QueuePositionResponse } from '@servicekit/contracts';
import { AlreadyClaimedError, Eligibility, HelpQueue } from '@servicekit/api/queue';
import { KeyValueStore } from '@servicekit/api/store';
import { VideoProvider } from '@servicekit/api/video';
import { AlreadyTakenError, HelpSessionEndedError, HelpSessionNotFoundError, NotInQueueError } from './help-session.errors';
import { CUSTOMER_TOKEN_TTL_SECONDS, RepIdentity, TokenService } from './token.service';

/** What is stored per help session. The only personal data in the store; deleted when the session ends. */
interface HelpSessionRecord {
  customerName: string;
  problemText: string;
  videoSessionId: string;
  createdAt: number;
}

interface MatchRecord {
  repId: string;
  repName: string;
  claimedAt: number;
}

/** Help sessions live as long as a customer token: nothing personal outlives it. */
const SESSION_TTL = CUSTOMER_TOKEN_TTL_SECONDS;

@Injectable()
export class HelpSessionService {
  constructor(
    private readonly store: KeyValueStore,
    private readonly queue: HelpQueue,
    private readonly video: VideoProvider,
    private readonly tokens: TokenService,
  ) {}

  async create(customerName: string, problemText: string): Promise<CreateHelpSessionResponse> {
    const id = randomBytes(16).toString('base64url');
    const videoSessionId = await this.video.createSession();
    const record: HelpSessionRecord = { customerName, problemText, videoSessionId, createdAt: Date.now() };
    await this.store.set(this.recordKey(id), JSON.stringify(record), SESSION_TTL);
    const video = await this.video.credentials(videoSessionId, { role: 'customer', name: customerName, id });
    return { id, customerToken: this.tokens.issueCustomerToken(id), video };
  }

  /** Idempotent: a retry returns the same place. */
  async enqueue(id: string): Promise<QueuePositionResponse> {
    await this.requireOpen(id);
    try {
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
    await this.finish(id);
  }

  /** Ends the help session for everyone (customer or matched rep). Idempotent. */
  async end(id: string): Promise<void> {
    const state = await this.state(id);
    if (state === 'missing') throw new HelpSessionNotFoundError();
    if (state === 'ended') return;
    await this.queue.cancel(id);
    await this.finish(id);
  }

  /** The rep that took this help session, if any (also after it ended, until the records expire). */
  async matchedRep(id: string): Promise<string | null> {
    const raw = await this.store.get(this.matchKey(id));
    return raw === null ? null : (JSON.parse(raw) as MatchRecord).repId;
  }

  /**
   * Hands the rep the first waiting customer, with the personal data and a video token for the rep. With
   * `waitMs` it waits that long for someone to arrive.
   */
  async claimNext(rep: RepIdentity, waitMs = 0, signal?: AbortSignal): Promise<ClaimNextResponse | null> {
    const eligible: Eligibility = async (id) => ((await this.store.get(this.endKey(id))) === null ? 'yes' : 'gone');
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
      const match: MatchRecord = { repId: rep.repId, repName: rep.name, claimedAt: Date.now() };
      await this.store.set(this.matchKey(claim.helpSessionId), JSON.stringify(match), SESSION_TTL);
      const video = await this.video.credentials(record.videoSessionId, { role: 'rep', name: rep.name, id: rep.repId });
      return {
        helpSession: {
          id: claim.helpSessionId,
          customerName: record.customerName,
          problemText: record.problemText,
          waitedMs: claim.waitedMs,
        },
        video,
      };
    }
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

  private async finish(id: string): Promise<void> {
    await this.store.set(this.endKey(id), '1', SESSION_TTL);
    await this.store.delete(this.recordKey(id));
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
}
