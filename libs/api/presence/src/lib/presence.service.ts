import { Injectable, Logger, OnApplicationShutdown, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { ServiceKitMetrics } from '@servicekit/api/metrics';
import { InstanceInbox } from './instance-inbox';
import { LeaseRecords } from './lease.records';
import { LocalSockets, PresenceSocket } from './local-sockets';
import { Participant, participantKey } from './participant';
import { Departures } from './presence.ports';

/**
 * Server-side presence: a lease for every connected customer and rep, renewed by the instance that holds the
 * socket (a closed tab, a crash or a lost network ends it), and leave detection: a participant whose last
 * socket closed and who does not come back within the grace period has left, and Departures hears of it.
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger(PresenceService.name);
  private readonly leaveTimers = new Map<string, NodeJS.Timeout>();
  private readonly graceMs: number;
  private renewal: NodeJS.Timeout | null = null;
  private closing = false;

  constructor(
    private readonly sockets: LocalSockets,
    private readonly leases: LeaseRecords,
    private readonly inbox: InstanceInbox,
    private readonly departures: Departures,
    private readonly metrics: ServiceKitMetrics,
    config: ServiceKitConfig,
  ) {
    this.graceMs = config.presenceGraceMs;
  }

  onModuleInit(): void {
    this.renewal = setInterval(() => void this.renewLeases(), Math.max(300, Math.floor(this.graceMs / 3)));
    this.renewal.unref();
  }

  onModuleDestroy(): void {
    if (this.renewal) clearInterval(this.renewal);
    this.leaveTimers.forEach((timer) => clearTimeout(timer));
  }

  /**
   * Shutting down (SIGTERM): close every socket so the clients reconnect to another instance. Leases stay:
   * a customer who reconnects within the grace period keeps the place.
   */
  onApplicationShutdown(): void {
    this.closing = true;
    this.onModuleDestroy();
    this.sockets.closeAll();
  }

  /** A socket of this participant connected here: hold the lease, cancel a pending leave. */
  async connected(participant: Participant, socket: PresenceSocket): Promise<void> {
    this.sockets.add(participant, socket);
    this.metrics.socketOpened();
    const key = participantKey(participant);
    const pending = this.leaveTimers.get(key);
    if (pending) {
      clearTimeout(pending);
      this.leaveTimers.delete(key);
    }
    await this.leases.write(participant, { inst: this.inbox.instanceId, conn: socket.id, away: false });
  }

  /** A socket closed: the participant is away; if nobody comes back within the grace period, they left. */
  async disconnected(participant: Participant, socket: PresenceSocket): Promise<void> {
    const { removed, last } = this.sockets.remove(participant, socket.id);
    if (removed) this.metrics.socketClosed();
    if (!last || this.closing) return;
    await this.leases.write(participant, { inst: this.inbox.instanceId, conn: socket.id, away: true });
    const key = participantKey(participant);
    const timer = setTimeout(() => {
      this.leaveTimers.delete(key);
      void this.confirmLeave(participant, socket.id);
    }, this.graceMs);
    timer.unref();
    this.leaveTimers.set(key, timer);
  }

  private async confirmLeave(participant: Participant, connection: string): Promise<void> {
    try {
      const lease = await this.leases.read(participant);
      // Came back (here or on another instance) within the grace period: nothing to do.
      if (lease && (lease.conn !== connection || !lease.away)) return;
      await this.leases.delete(participant);
      if (participant.kind === 'customer') await this.departures.customerLeft(participant.id);
      else await this.departures.repLeft(participant.id);
    } catch (error) {
      this.logger.error(`Handling a ${participant.kind} who left failed: ${(error as Error).message}`);
    }
  }

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
