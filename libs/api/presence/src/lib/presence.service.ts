import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationShutdown, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { DueList } from '@servicekit/api/due-list';
import { ServiceKitMetrics } from '@servicekit/api/metrics';
import { KeyValueStore } from '@servicekit/api/store';
import { CustomerKits } from './customer-kits';
import { InstanceInbox } from './instance-inbox';
import { InstanceRoster } from './instance-roster';
import { LeaseRecords } from './lease.records';
import { LocalSockets, PresenceSocket } from './local-sockets';
import { Participant } from './participant';
import { CustomerRecovery, Departures } from './presence.ports';
import { StoreEpoch } from './store-epoch';

/** The leave deadline of a participant whose connection `conn` was lost. */
interface LeaveDue {
  kind: 'leave';
  at: number;
  participant: Participant;
  conn: string;
}

/** Instance `inst` gave heartbeat `seq` at `since`: unless it has given a later one by `at`, it is dead. */
interface HeartbeatDue {
  kind: 'heartbeat';
  at: number;
  inst: string;
  seq: number;
  since: number;
}

type PresenceDue = LeaveDue | HeartbeatDue;

const BEAT_MS = 500;
/** An instance whose heartbeat has not moved for this long is taken for dead and its connections for lost. */
const DEAD_AFTER_MS = 1_500;
const EPOCH_EVERY_MS = 1_000;
const ROSTER_EVERY_MS = 10_000;
const PARALLEL = 32;

/**
 * Server-side presence: a lease for every connected customer and rep, naming the instance that holds the
 * socket (written on connect, disconnect and reconnect only; the instance's heartbeat says it still holds
 * them), and what follows a lost connection. A participant whose last socket closed is away: Departures
 * hears of it at once (a call's partner is told), and a leave deadline goes into a due list that every
 * instance sweeps, so the leave is confirmed (Departures: they left) by whichever instance sees the deadline
 * pass, unless they came back first. The window is the grace period, or CALL_REJOIN_MS in a confirmed call.
 *
 * The sockets of an instance that dies go with it, unseen: each instance beats (a heartbeat in the store,
 * and a due entry that checks it), and when an instance's beat stops, one other instance takes over its
 * roster and treats each of its participants who has not reconnected elsewhere as away since its last beat.
 * Every beat also looks at the store's generation: when the store lost its keys (a memcached restart), this
 * instance writes back what it knows of the customers connected to it (CustomerRecovery).
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(PresenceService.name);
  private readonly due: DueList<PresenceDue>;
  private readonly graceMs: number;
  private readonly rejoinMs: number;
  private timer: NodeJS.Timeout | null = null;
  private seq = 0;
  private lastBeatAt = 0;
  private lastEpochAt = 0;
  private lastRosterAt = 0;
  private beating = false;
  private failing = false;
  private closing = false;

  constructor(
    private readonly sockets: LocalSockets,
    private readonly leases: LeaseRecords,
    private readonly inbox: InstanceInbox,
    private readonly roster: InstanceRoster,
    private readonly epoch: StoreEpoch,
    private readonly kits: CustomerKits,
    private readonly departures: Departures,
    private readonly recovery: CustomerRecovery,
    private readonly metrics: ServiceKitMetrics,
    config: ServiceKitConfig,
    store: KeyValueStore,
  ) {
    this.graceMs = config.presenceGraceMs;
    this.rejoinMs = config.callRejoinMs;
    this.due = new DueList<PresenceDue>(store, {
      name: 'pr',
      handle: (due) => (due.kind === 'leave' ? this.confirmLeave(due.participant, due.conn) : this.checkHeartbeat(due)),
    });
  }

  async onModuleInit(): Promise<void> {
    await this.due.start();
    this.timer = setInterval(() => void this.beat(), BEAT_MS);
    this.timer.unref();
    await this.beat();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.due.stop();
  }

  /** Stopping gracefully: the other instances take over this one's connections without waiting for the beat to time out. */
  async beforeApplicationShutdown(): Promise<void> {
    this.onModuleDestroy();
    const now = Date.now();
    const me = this.inbox.instanceId;
    await this.roster
      .stopBeating(me)
      .then(() => this.due.schedule({ kind: 'heartbeat', at: now, inst: me, seq: this.seq, since: now }))
      .catch(() => undefined);
  }

  /**
   * Shutting down (SIGTERM): close every socket so the clients reconnect to another instance. Leases stay:
   * a customer who reconnects within the grace period keeps the place; one who does not is taken over.
   */
  onApplicationShutdown(): void {
    this.closing = true;
    this.onModuleDestroy();
    this.sockets.closeAll();
  }

  /** A socket of this participant connected here: hold the lease; back from being away, Departures hears of it. */
  async connected(participant: Participant, socket: PresenceSocket): Promise<void> {
    const first = !this.sockets.holds(participant);
    this.sockets.add(participant, socket);
    this.metrics.socketOpened();
    const previous = await this.leases.read(participant);
    await this.leases.write(participant, { inst: this.inbox.instanceId, conn: socket.id, away: false });
    if (first) await this.roster.enlist(this.inbox.instanceId, participant, socket.id);
    if (participant.kind === 'customer') void this.kits.refresh([participant.id]);
    if (previous?.away) await this.cameBack(participant);
  }

  /** A socket closed: with no other socket of theirs here, the participant is away from now on. */
  async disconnected(participant: Participant, socket: PresenceSocket): Promise<void> {
    const { removed, last } = this.sockets.remove(participant, socket.id);
    if (removed) this.metrics.socketClosed();
    if (!last || this.closing) return;
    if (participant.kind === 'customer') this.kits.forget(participant.id);
    await this.roster.delist(this.inbox.instanceId, participant);
    await this.wentAway(participant, socket.id, this.inbox.instanceId, Date.now());
  }

  /**
   * The participant's connection `conn` (held by `inst`) is lost since `since`: the lease says away, Departures
   * hears of it, and the leave is due at the end of their window (confirmed at once if that is past already).
   */
  private async wentAway(participant: Participant, conn: string, inst: string, since: number): Promise<void> {
    const lease = await this.leases.read(participant);
    // A newer connection came first (a reload, or a reconnection that overtook the close of the old one).
    if (lease && lease.conn !== null && lease.conn !== conn && !lease.away) return;
    await this.leases.write(participant, { inst, conn, away: true });
    const inCall =
      participant.kind === 'customer' ? await this.departures.customerAway(participant.id) : await this.departures.repAway(participant.id);
    const at = since + (inCall ? this.rejoinMs : this.graceMs);
    if (at <= Date.now()) await this.confirmLeave(participant, conn);
    else await this.due.schedule({ kind: 'leave', at, participant, conn });
  }

  /** The deadline passed: unless they came back (here or elsewhere), they left. Any instance may call it, repeatedly. */
  private async confirmLeave(participant: Participant, conn: string): Promise<void> {
    const lease = await this.leases.read(participant);
    // A lease without a connection (a retried enqueue's) is no return.
    if (lease && lease.conn !== null && (lease.conn !== conn || !lease.away)) return;
    await this.leases.delete(participant);
    if (participant.kind === 'customer') await this.departures.customerLeft(participant.id);
    else await this.departures.repLeft(participant.id);
  }

  private async cameBack(participant: Participant): Promise<void> {
    if (participant.kind === 'customer') await this.departures.customerBack(participant.id);
    else await this.departures.repBack(participant.id);
  }

  /** One heartbeat, and what this instance does every few beats. */
  private async beat(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    const now = Date.now();
    try {
      this.seq += 1;
      const me = this.inbox.instanceId;
      await Promise.all([
        this.roster.beat(me, this.seq),
        this.due.schedule({ kind: 'heartbeat', at: now + DEAD_AFTER_MS, inst: me, seq: this.seq, since: now }),
      ]);
      // Long without a beat (the event loop or the store stalled): the others may have taken this instance for dead.
      if (this.lastBeatAt > 0 && now - this.lastBeatAt > DEAD_AFTER_MS) await this.reassert(now - this.lastBeatAt);
      this.lastBeatAt = now;
      if (now - this.lastEpochAt >= EPOCH_EVERY_MS) {
        this.lastEpochAt = now;
        const epoch = await this.epoch.check();
        if (epoch !== null) await this.recover(epoch);
      }
      if (now - this.lastRosterAt >= ROSTER_EVERY_MS) {
        this.lastRosterAt = now;
        await this.roster.maintain(me);
      }
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn(`A presence heartbeat failed; the next one retries: ${(error as Error).message}`);
      this.failing = true;
    } finally {
      this.beating = false;
    }
  }

  /** Another instance's heartbeat was due to move by now: if it did not, that instance is dead. */
  private async checkHeartbeat(due: HeartbeatDue): Promise<void> {
    const me = this.inbox.instanceId;
    if (due.inst === me) return;
    const beat = await this.roster.lastBeat(due.inst);
    if (beat !== null && beat > due.seq) return;
    if (!(await this.roster.declareDead(due.inst, due.seq, me))) return;
    const entries = await this.roster.entries(due.inst);
    this.logger.warn(
      `Instance ${due.inst} stopped beating: its ${entries.length} connection(s) count as lost unless made again elsewhere.`,
    );
    const { since } = due;
    for (let i = 0; i < entries.length; i += PARALLEL) {
      await Promise.all(
        entries.slice(i, i + PARALLEL).map(async ({ participant, conn }) => {
          const lease = await this.leases.read(participant);
          // Reconnected elsewhere, or away already (its own deadline is set).
          if (lease && (lease.inst !== due.inst || lease.conn !== conn || lease.away)) return;
          await this.wentAway(participant, conn, due.inst, since);
        }),
      );
    }
  }

  /** After a stall: leases say connected again, and partners told this instance's participants were away hear they are back. */
  private async reassert(stalledMs: number): Promise<void> {
    this.logger.warn(`No heartbeat for ${stalledMs} ms: announcing this instance's connections again.`);
    await this.renewLeases();
    await this.eachParticipant((participant) => this.cameBack(participant));
  }

  /** The store lost its keys: presence writes back its own records, then the customers' help sessions are restored. */
  private async recover(epoch: string): Promise<void> {
    this.logger.warn('The store lost its keys (a restart or a flush): writing back what this instance knows of its connections.');
    this.inbox.restart();
    await this.renewLeases();
    const here = this.sockets.participants().map(({ participant, connection }) => ({ participant, conn: connection ?? '' }));
    await this.roster.relist(this.inbox.instanceId, here);
    await this.recovery.restore(this.kits.all(), epoch);
  }

  private async eachParticipant(task: (participant: Participant) => Promise<void>): Promise<void> {
    const here = this.sockets.participants();
    for (let i = 0; i < here.length; i += PARALLEL) {
      await Promise.all(here.slice(i, i + PARALLEL).map(({ participant }) => task(participant).catch(() => undefined)));
    }
  }

  /** Writes every lease of this instance again (after a stall or a store restart; never periodically). */
  private async renewLeases(): Promise<void> {
    await Promise.all(
      this.sockets
        .participants()
        .map(({ participant, connection }) =>
          this.leases.write(participant, { inst: this.inbox.instanceId, conn: connection, away: false }).catch(() => undefined),
        ),
    );
  }
}
