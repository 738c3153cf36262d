import { Injectable } from '@nestjs/common';
import { KeyValueStore } from '@servicekit/api/store';
import { Participant, participantKey } from './participant';

/** Someone whose socket an instance holds, as that instance listed them. */
export interface RosterEntry {
  participant: Participant;
  conn: string;
}

/** Beats come every 500 ms: a beat key that outlives three seconds without one belongs to a dead instance. */
const BEAT_TTL = 3;
const DEAD_TTL = 60;
/** Entries of an instance that died are read once by the instance that takes over; nobody's socket lives longer. */
const ROSTER_TTL = 2 * 24 * 60 * 60;
const READ_BATCH = 64;

/**
 * Each instance's heartbeat and the roster of the participants whose sockets it holds, so that when an
 * instance dies (no heartbeat) another one finds whose sockets went with it and treats them as away. Costs
 * per instance, not per socket: one heartbeat write per beat, and one roster write on a participant's first
 * socket here and one delete on their last. The heartbeat is also what makes a lease (which names its
 * instance and is never renewed) count as present.
 *
 * Owns the store keys (of instance `{inst}`):
 *   hb:{inst}           the number of its last heartbeat; deleted when it stops gracefully
 *   dead:{inst}:{seq}   the one instance that takes over after heartbeat {seq}, created with `add`
 *   pj:{inst}:n         counter of its roster entries; pj:{inst}:{i} an entry (ids only); pj:{inst}:low the
 *                       lowest entry still listed (so a takeover reads only those)
 */
@Injectable()
export class InstanceRoster {
  /** This instance's entry number for each participant it lists. */
  private readonly listed = new Map<string, number>();
  /** The last entry number this instance was given. */
  private highest = 0;

  constructor(private readonly store: KeyValueStore) {}

  async beat(inst: string, seq: number): Promise<void> {
    await this.store.set(beatKey(inst), String(seq), BEAT_TTL);
  }

  /** The number of the instance's last heartbeat; null once it stopped or its beats expired. */
  async lastBeat(inst: string): Promise<number | null> {
    const raw = await this.store.get(beatKey(inst));
    return raw === null ? null : Number(raw);
  }

  /** A graceful stop: the others take over at once rather than after the heartbeat times out. */
  async stopBeating(inst: string): Promise<void> {
    await this.store.delete(beatKey(inst));
  }

  /**
   * True for the one instance (`by`) that takes over the sockets of `inst` after its heartbeat `seq`; again
   * true when that instance asks again (a takeover that failed half-way is retried).
   */
  async declareDead(inst: string, seq: number, by: string): Promise<boolean> {
    if (await this.store.add(deadKey(inst, seq), by, DEAD_TTL)) return true;
    return (await this.store.get(deadKey(inst, seq))) === by;
  }

  /** This instance now holds a socket of the participant (its first one here). */
  async enlist(inst: string, participant: Participant, conn: string): Promise<void> {
    const n = await this.store.increment(counterKey(inst), 1, { initial: 1, ttlSeconds: ROSTER_TTL });
    this.listed.set(participantKey(participant), n);
    this.highest = Math.max(this.highest, n);
    await this.store.set(entryKey(inst, n), JSON.stringify({ participant, conn } satisfies RosterEntry), ROSTER_TTL);
  }

  /** This instance holds no socket of the participant any more. */
  async delist(inst: string, participant: Participant): Promise<void> {
    const key = participantKey(participant);
    const n = this.listed.get(key);
    if (n === undefined) return;
    this.listed.delete(key);
    await this.store.delete(entryKey(inst, n));
  }

  /**
   * Keeps the roster's counter alive and says where its live entries start (called every few seconds); after
   * the store lost everything, `relist` writes it afresh.
   */
  async maintain(inst: string): Promise<void> {
    const low = this.listed.size > 0 ? Math.min(...this.listed.values()) : this.highest + 1;
    await Promise.all([this.store.touch(counterKey(inst), ROSTER_TTL), this.store.set(lowKey(inst), String(low), ROSTER_TTL)]);
  }

  /** The store lost the roster: list these participants again. */
  async relist(inst: string, entries: RosterEntry[]): Promise<void> {
    this.listed.clear();
    this.highest = 0;
    for (const { participant, conn } of entries) await this.enlist(inst, participant, conn);
  }

  /** Whoever the instance listed and has not delisted. */
  async entries(inst: string): Promise<RosterEntry[]> {
    const [rawLow, rawCount] = await Promise.all([this.store.get(lowKey(inst)), this.store.get(counterKey(inst))]);
    const count = Number(rawCount ?? 0);
    const entries: RosterEntry[] = [];
    for (let from = Math.max(1, Number(rawLow ?? 1)); from <= count; from += READ_BATCH) {
      const numbers = Array.from({ length: Math.min(READ_BATCH, count - from + 1) }, (_, i) => from + i);
      const raws = await Promise.all(numbers.map((n) => this.store.get(entryKey(inst, n))));
      for (const raw of raws) if (raw !== null) entries.push(JSON.parse(raw) as RosterEntry);
    }
    return entries;
  }
}

const beatKey = (inst: string) => `hb:${inst}`;
const deadKey = (inst: string, seq: number) => `dead:${inst}:${seq}`;
const counterKey = (inst: string) => `pj:${inst}:n`;
const lowKey = (inst: string) => `pj:${inst}:low`;
const entryKey = (inst: string, n: number) => `pj:${inst}:${n}`;
