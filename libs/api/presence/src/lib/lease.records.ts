import { Injectable } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { CustomerPresence } from '@servicekit/api/match';
import { KeyValueStore } from '@servicekit/api/store';
import { InstanceRoster } from './instance-roster';
import { Participant } from './participant';

/** Who holds a participant's connection: the instance and connection, and whether it just closed. */
export interface Lease {
  inst: string | null;
  conn: string | null;
  away: boolean;
}

/** How long an away lease outlives the longest window (grace or rejoin), so that the deadline always finds it. */
const AWAY_MARGIN_MS = 60_000;
/** A connected lease is not renewed: it lives as long as a help session may (its end or a leave deletes it). */
const CONNECTED_TTL = 4 * 60 * 60;

/**
 * The store keys of presence leases, and only these: `pr:c:{helpSessionId}` and `pr:r:{repId}`. A lease
 * names the instance holding the socket and changes only on connect, disconnect and reconnect: nothing is
 * renewed per socket. Whether its holder still lives is that instance's heartbeat (InstanceRoster: one key
 * per instance, a few seconds' TTL); when an instance dies, another takes over its roster and marks its
 * participants away, so they are treated as away within the grace period. A lease marked away (the last
 * socket closed) lives until well after its leave deadline: were it to expire first, a retried enqueue could
 * write a fresh lease over it and the leave would never be confirmed. No personal data.
 */
@Injectable()
export class LeaseRecords extends CustomerPresence {
  private readonly ttl: number;
  private readonly awayTtl: number;

  constructor(
    private readonly store: KeyValueStore,
    private readonly roster: InstanceRoster,
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

  /** A connected participant's lease (written on connect, never renewed), or one marked away. */
  async write(participant: Participant, lease: Lease): Promise<void> {
    await this.store.set(leaseKey(participant), JSON.stringify(lease), lease.away ? this.awayTtl : CONNECTED_TTL);
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

  /**
   * Claim eligibility: present when the lease says connected and its instance still beats (or the customer
   * just queued and has the grace period to connect); an instance that stopped beating is about to be taken
   * over, which marks its customers away: until then they keep their place.
   */
  async check(helpSessionId: string): Promise<'yes' | 'gone' | 'later'> {
    const lease = await this.read({ kind: 'customer', id: helpSessionId });
    if (!lease) return 'gone';
    if (lease.away) return 'later';
    if (lease.inst === null) return 'yes';
    return (await this.roster.lastBeat(lease.inst)) === null ? 'later' : 'yes';
  }

  /** For each help session, whether its customer holds a live connection on some instance. */
  async customersConnected(helpSessionIds: string[]): Promise<boolean[]> {
    const leases = await Promise.all(helpSessionIds.map((id) => this.read({ kind: 'customer', id })));
    return leases.map((lease) => lease !== null && lease.inst !== null && !lease.away);
  }
}

const leaseKey = ({ kind, id }: Participant) => `pr:${kind === 'customer' ? 'c' : 'r'}:${id}`;
