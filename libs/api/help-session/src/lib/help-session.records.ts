import { Injectable } from '@nestjs/common';
import { CustomerDetails, HelpSessionFacts } from '@servicekit/api/match';
import { CUSTOMER_TOKEN_TTL_SECONDS } from '@servicekit/api/rep-auth';
import { KeyValueStore } from '@servicekit/api/store';
import type { EndReason } from '@servicekit/contracts';

/** What is stored per help session: the only personal data in the store, deleted when the session ends. */
export type HelpSessionRecord = CustomerDetails;

/** How a help session ended: kept after the end, so that retries and reconnecting clients hear "ended". */
export interface EndMarker {
  reason: EndReason;
  /** The rep who had taken it, so that rep may repeat the end. */
  repId: string | null;
}

export type HelpSessionState = 'open' | 'ended' | 'missing';

/** Help sessions live as long as a customer token: nothing personal outlives it. */
const SESSION_TTL = CUSTOMER_TOKEN_TTL_SECONDS;

/**
 * The store keys of help sessions, and only these:
 *   hs:{id}       the record (the customer's name and problem, the video session); deleted at the end
 *   hs:{id}:end   the end marker (a reason and a rep id, nothing personal), created once with `add`
 */
@Injectable()
export class HelpSessionRecords extends HelpSessionFacts {
  constructor(private readonly store: KeyValueStore) {
    super();
  }

  async create(id: string, record: HelpSessionRecord): Promise<void> {
    await this.store.set(recordKey(id), JSON.stringify(record), SESSION_TTL);
  }

  async customer(id: string): Promise<HelpSessionRecord | null> {
    const raw = await this.store.get(recordKey(id));
    return raw === null ? null : (JSON.parse(raw) as HelpSessionRecord);
  }

  async state(id: string): Promise<HelpSessionState> {
    const [record, ended] = await Promise.all([this.store.get(recordKey(id)), this.store.get(endKey(id))]);
    if (ended !== null) return 'ended';
    return record === null ? 'missing' : 'open';
  }

  async hasEnded(id: string): Promise<boolean> {
    return (await this.store.get(endKey(id))) !== null;
  }

  async isOpen(id: string): Promise<boolean> {
    return (await this.state(id)) === 'open';
  }

  async endMarker(id: string): Promise<EndMarker | null> {
    const raw = await this.store.get(endKey(id));
    if (raw === null) return null;
    // Instances of the previous version wrote the bare reason: read those too during a rolling deploy.
    return raw.startsWith('{') ? (JSON.parse(raw) as EndMarker) : { reason: raw as EndReason, repId: null };
  }

  /** Ends the help session: true for the one call that did; the personal data goes with it. */
  async end(id: string, marker: EndMarker): Promise<boolean> {
    if (!(await this.store.add(endKey(id), JSON.stringify(marker), SESSION_TTL))) return false;
    await this.store.delete(recordKey(id));
    return true;
  }
}

const recordKey = (id: string) => `hs:${id}`;
const endKey = (id: string) => `hs:${id}:end`;
