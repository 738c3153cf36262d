import { Injectable } from '@nestjs/common';
import { CUSTOMER_TOKEN_TTL_SECONDS } from '@servicekit/api/rep-auth';
import { KeyValueStore } from '@servicekit/api/store';

/**
 * The current (or last) match of a help session, until the session ends: ids, times, the video session and
 * the rep's display name (shown to the customer). Nothing about the customer, and no credentials (they are
 * minted whenever a side needs them).
 */
export interface MatchRecord {
  matchId: string;
  helpSessionId: string;
  repId: string;
  repName: string;
  videoSessionId: string;
  claimedAt: number;
  /** When the customer first joined the queue: a hand-back keeps it, so waits stay honest. */
  enqueuedAt: number;
  /** The customer's media must be up by then, or the customer goes back to the front. */
  noShowAt: number;
}

/** How a reservation ended: confirmed (both media up), handed back, or ended with the help session. */
export type MatchStart = 'confirmed' | 'no-show' | 'rep-left' | 'ended';

export type MediaSide = 'customer' | 'rep';

/** Matches live no longer than the help session they belong to. */
const MATCH_TTL = CUSTOMER_TOKEN_TTL_SECONDS;

/**
 * The store keys of matches, and only these:
 *   hs:{id}:match       the help session's current match (MatchRecord); deleted when the session ends
 *   rep:{repId}:match   the help session the rep is matched with; deleted when the rep is free again
 *   m:{matchId}:start   how the reservation ended (MatchStart), created with `add`: the first outcome wins
 *   m:{matchId}:{side}  that side's media came up
 *   m:{matchId}:away:{side}  that side of the confirmed call lost its connection (the partner was told); deleted
 *                       when it is back, else it expires after the rejoin window
 */
@Injectable()
export class MatchRecords {
  constructor(private readonly store: KeyValueStore) {}

  async ofSession(helpSessionId: string): Promise<MatchRecord | null> {
    const raw = await this.store.get(matchKey(helpSessionId));
    return raw === null ? null : (JSON.parse(raw) as MatchRecord);
  }

  /** The match becomes the help session's current one, and the rep's. */
  async save(match: MatchRecord): Promise<void> {
    await Promise.all([
      this.store.set(matchKey(match.helpSessionId), JSON.stringify(match), MATCH_TTL),
      this.store.set(repMatchKey(match.repId), match.helpSessionId, MATCH_TTL),
    ]);
  }

  async forget(helpSessionId: string): Promise<void> {
    await this.store.delete(matchKey(helpSessionId));
  }

  async sessionOfRep(repId: string): Promise<string | null> {
    return this.store.get(repMatchKey(repId));
  }

  async sessionsOfReps(repIds: string[]): Promise<(string | null)[]> {
    return Promise.all(repIds.map((repId) => this.store.get(repMatchKey(repId))));
  }

  /** The rep is free again, unless it has moved on to another help session already. */
  async releaseRep(repId: string, helpSessionId: string): Promise<void> {
    if ((await this.store.get(repMatchKey(repId))) === helpSessionId) await this.store.delete(repMatchKey(repId));
  }

  async start(matchId: string): Promise<MatchStart | null> {
    return (await this.store.get(startKey(matchId))) as MatchStart | null;
  }

  /** True for the one call that decided how the reservation ended. */
  async decide(matchId: string, start: MatchStart): Promise<boolean> {
    return this.store.add(startKey(matchId), start, MATCH_TTL);
  }

  async reportMedia(matchId: string, side: MediaSide): Promise<void> {
    await this.store.add(mediaKey(matchId, side), '1', MATCH_TTL);
  }

  async mediaUp(matchId: string, side: MediaSide): Promise<boolean> {
    return (await this.store.get(mediaKey(matchId, side))) !== null;
  }

  async markAway(matchId: string, side: MediaSide, ttlSeconds: number): Promise<void> {
    await this.store.set(awayKey(matchId, side), '1', ttlSeconds);
  }

  /** True when the side was marked away (so the partner was told). */
  async clearAway(matchId: string, side: MediaSide): Promise<boolean> {
    return this.store.delete(awayKey(matchId, side));
  }

  async isAway(matchId: string, side: MediaSide): Promise<boolean> {
    return (await this.store.get(awayKey(matchId, side))) !== null;
  }

  /** Writes a confirmed call back after the store lost it (a restart): the match, the rep's, both media up. */
  async restoreConfirmed(match: MatchRecord): Promise<void> {
    await this.save(match);
    await Promise.all([
      this.decide(match.matchId, 'confirmed'),
      this.reportMedia(match.matchId, 'customer'),
      this.reportMedia(match.matchId, 'rep'),
    ]);
  }
}

const matchKey = (helpSessionId: string) => `hs:${helpSessionId}:match`;
const repMatchKey = (repId: string) => `rep:${repId}:match`;
const startKey = (matchId: string) => `m:${matchId}:start`;
const mediaKey = (matchId: string, side: MediaSide) => `m:${matchId}:${side}`;
const awayKey = (matchId: string, side: MediaSide) => `m:${matchId}:away:${side}`;
