import { Injectable } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { CustomerPresence } from '@servicekit/api/match';
import { KeyValueStore } from '@servicekit/api/store';
import { Participant } from './participant';

/** Who holds a participant's connection: the instance and connection, and whether it just closed. */
export interface Lease {
  inst: string | null;
  conn: string | null;
  away: boolean;
}

/** How long an away lease outlives the longest window (grace or rejoin), so that the deadline always finds it. */
const AWAY_MARGIN_MS = 60_000;

/**
 * The store keys of presence leases, and only these: `pr:c:{helpSessionId}` and `pr:r:{repId}`. The instance
 * that holds the socket renews the lease; it expires PRESENCE_GRACE_MS after the last renewal, so a crashed
 * instance's participants count as away within the grace period. A lease marked away (the last socket
 * closed) lives until well after its leave deadline: were it to expire first, a retried enqueue could write
 * a fresh lease over it and the leave would never be confirmed. No personal data.
 */
@Injectable()
export class LeaseRecords extends CustomerPresence {
  private readonly ttl: number;
  private readonly awayTtl: number;

  constructor(
    private readonly store: KeyValueStore,
    config: ServiceKitConfig,
  ) {
    super();
    this.ttl = Math.max(2, Math.ceil(config.presenceGraceMs / 1000));
    this.awayTtl = Math.ceil((Math.max(config.presenceGraceMs, config.callRejoinMs) + AWAY_MARGIN_MS) / 1000);
  }

  async read(participant: Participant): Promise<Lease | null> {
    const raw = await this.store.get(leaseKey(participant));
    return raw === null ? null : (JSON.parse(raw) as Lease);
  }

  /** A connected participant's lease (renewed by the instance holding the socket), or one marked away. */
  async write(participant: Participant, lease: Lease): Promise<void> {
    await this.store.set(leaseKey(participant), JSON.stringify(lease), lease.away ? this.awayTtl : this.ttl);
  }

  async delete(participant: Participant): Promise<void> {
    await this.store.delete(leaseKey(participant));
  }

  /** A customer who just queued gets the grace period to connect. */
  async expect(helpSessionId: string): Promise<void> {
    await this.store.add(
      leaseKey({ kind: 'customer', id: helpSessionId }),
      JSON.stringify({ inst: null, conn: null, away: false } satisfies Lease),
      this.ttl,
    );
  }

  async check(helpSessionId: string): Promise<'yes' | 'gone' | 'later'> {
    const lease = await this.read({ kind: 'customer', id: helpSessionId });
    if (!lease) return 'gone';
    return lease.away ? 'later' : 'yes';
  }

  /** For each help session, whether its customer holds a live connection on some instance. */
  async customersConnected(helpSessionIds: string[]): Promise<boolean[]> {
    const leases = await Promise.all(helpSessionIds.map((id) => this.read({ kind: 'customer', id })));
    return leases.map((lease) => lease !== null && lease.inst !== null && !lease.away);
  }
}

const leaseKey = ({ kind, id }: Participant) => `pr:${kind === 'customer' ? 'c' : 'r'}:${id}`;
