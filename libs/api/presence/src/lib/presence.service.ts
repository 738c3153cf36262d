import { randomBytes } from 'node:crypto';
import { Injectable, Logger, OnApplicationShutdown, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { ServiceKitMetrics } from '@servicekit/api/metrics';
import { HelpQueue } from '@servicekit/api/queue';
import { CallNotifier, CustomerPresence } from '@servicekit/api/match';
import { KeyValueStore } from '@servicekit/api/store';
import type { CustomerState, RepState, ServerToClientEvents } from '@servicekit/contracts';
import { Envelope, InstanceInbox } from './instance-inbox';
import { PresenceSnapshot, PresenceStats } from './presence-stats';
import { leaseKey, Participant, participantKey, slotKey } from './presence.keys';

/** What the presence module needs of a socket: emit, and a way to close it. */
export interface PresenceSocket {
  readonly id: string;
  emit<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): unknown;
  disconnect(close?: boolean): unknown;
}

interface Lease {
  inst: string | null;
  conn: string | null;
  away: boolean;
}

interface InstanceSlot {
  id: string;
  sockets: number;
  reps: number;
  busy: number;
  calls: number;
}

const MAX_INSTANCES = 64;
const SLOT_TTL = 6;
const SLOT_RENEW_MS = 2000;
const WATCH_MS = 250;

/**
 * Server-side presence: leases for every connected customer and rep (renewed by the instance that holds
 * the socket; a closed tab, a crash or a lost network ends them), leave detection after a grace period,
 * live queue positions pushed to waiting customers, and delivery of state changes to whichever instance
 * holds the recipient's socket.
 */
@Injectable()
export class PresenceService
  extends PresenceStats
  implements CustomerPresence, CallNotifier, OnModuleInit, OnModuleDestroy, OnApplicationShutdown
{
  private readonly logger = new Logger(PresenceService.name);
  /** Local sockets by participant. */
  private readonly local = new Map<string, { participant: Participant; sockets: Map<string, PresenceSocket> }>();
  private readonly lastPosition = new Map<string, string>();
  private readonly leaveTimers = new Map<string, NodeJS.Timeout>();
  private readonly graceMs: number;
  private readonly leaseTtl: number;
  private intervals: NodeJS.Timeout[] = [];
  private lastVersion: string | null = null;
  private slot: number | null = null;
  private watching = false;
  private closing = false;
  /** Set by the gateway: what to do when a leave is final (end calls, free places). */
  private onLeft: (participant: Participant) => Promise<void> = async () => undefined;

  constructor(
    private readonly store: KeyValueStore,
    private readonly queue: HelpQueue,
    private readonly inbox: InstanceInbox,
    config: ServiceKitConfig,
    @Optional() private readonly metrics?: ServiceKitMetrics,
  ) {
    super();
    this.graceMs = config.presenceGraceMs;
    this.leaseTtl = Math.max(2, Math.ceil(config.presenceGraceMs / 1000));
  }

  get instanceId(): string {
    return this.inbox.instanceId;
  }

  whenLeft(handler: (participant: Participant) => Promise<void>): void {
    this.onLeft = handler;
  }

  async onModuleInit(): Promise<void> {
    this.inbox.onMessage((envelope) => this.deliverLocally(envelope));
    const renewEvery = Math.max(300, Math.floor(this.graceMs / 3));
    this.intervals = [
      setInterval(() => void this.renewLeases(), renewEvery),
      setInterval(() => void this.publishSlot(), SLOT_RENEW_MS),
      setInterval(() => void this.watchQueue(), WATCH_MS),
    ];
    this.intervals.forEach((timer) => timer.unref());
    await this.publishSlot().catch(() => undefined);
  }

  onModuleDestroy(): void {
    this.intervals.forEach((timer) => clearInterval(timer));
    this.leaveTimers.forEach((timer) => clearTimeout(timer));
  }

  /**
   * Shutting down (SIGTERM): close every socket so the clients reconnect to another instance. Leases stay:
   * a customer who reconnects within the grace period keeps the place.
   */
  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.onModuleDestroy();
    for (const { sockets } of this.local.values()) sockets.forEach((socket) => socket.disconnect(true));
    if (this.slot !== null) await this.store.delete(slotKey(this.slot)).catch(() => undefined);
  }

  /** A socket of this participant connected here: hold the lease, cancel a pending leave. */
  async connected(participant: Participant, socket: PresenceSocket): Promise<void> {
    const key = participantKey(participant);
    const entry = this.local.get(key) ?? { participant, sockets: new Map() };
    entry.sockets.set(socket.id, socket);
    this.metrics?.socketOpened();
    this.local.set(key, entry);
    const pending = this.leaveTimers.get(key);
    if (pending) {
      clearTimeout(pending);
      this.leaveTimers.delete(key);
    }
    await this.writeLease(participant, { inst: this.instanceId, conn: socket.id, away: false });
  }

  /** A socket closed: the participant is away; if nobody comes back within the grace period, they left. */
  async disconnected(participant: Participant, socket: PresenceSocket): Promise<void> {
    const key = participantKey(participant);
    const entry = this.local.get(key);
    if (entry?.sockets.delete(socket.id)) this.metrics?.socketClosed();
    if (entry && entry.sockets.size > 0) return;
    this.local.delete(key);
    this.lastPosition.delete(key);
    if (this.closing) return;
    await this.writeLease(participant, { inst: this.instanceId, conn: socket.id, away: true });
    const timer = setTimeout(() => {
      this.leaveTimers.delete(key);
      void this.confirmLeave(participant, socket.id);
    }, this.graceMs);
    timer.unref();
    this.leaveTimers.set(key, timer);
  }

  // CustomerPresence

  async expect(helpSessionId: string): Promise<void> {
    await this.store.add(
      leaseKey('customer', helpSessionId),
      JSON.stringify({ inst: null, conn: null, away: false } satisfies Lease),
      this.leaseTtl,
    );
  }

  async check(helpSessionId: string): Promise<'yes' | 'gone' | 'later'> {
    const lease = await this.lease({ kind: 'customer', id: helpSessionId });
    if (!lease) return 'gone';
    return lease.away ? 'later' : 'yes';
  }

  // CallNotifier

  async customer(helpSessionId: string, state: CustomerState): Promise<void> {
    await this.send({ kind: 'customer', id: helpSessionId }, 'customer:state', state);
  }

  async rep(repId: string, state: RepState): Promise<void> {
    await this.send({ kind: 'rep', id: repId }, 'rep:state', state);
  }

  /** Delivers an event to the participant's sockets, on this instance or through the holder's inbox. */
  async send(to: Participant, event: keyof ServerToClientEvents, payload: unknown): Promise<void> {
    if (this.local.has(participantKey(to))) {
      this.deliverLocally({ to, event, payload });
      return;
    }
    const lease = await this.lease(to);
    if (lease?.inst && lease.inst !== this.instanceId) await this.inbox.deliver(lease.inst, { to, event, payload });
  }

  // PresenceStats

  async snapshot(): Promise<PresenceSnapshot> {
    const slots = await Promise.all(Array.from({ length: MAX_INSTANCES }, (_, i) => this.store.get(slotKey(i))));
    const totals: PresenceSnapshot = { repsOnline: 0, repsBusy: 0, callsInProgress: 0, openSockets: 0 };
    for (const raw of slots) {
      if (raw === null) continue;
      const slot = JSON.parse(raw) as InstanceSlot;
      totals.repsOnline += slot.reps;
      totals.repsBusy += slot.busy;
      totals.callsInProgress += slot.calls;
      totals.openSockets += slot.sockets;
    }
    return totals;
  }

  async customersConnected(helpSessionIds: string[]): Promise<boolean[]> {
    const leases = await Promise.all(helpSessionIds.map((id) => this.lease({ kind: 'customer', id })));
    return leases.map((lease) => lease !== null && lease.inst !== null && !lease.away);
  }

  localSockets(): number {
    let count = 0;
    for (const { sockets } of this.local.values()) count += sockets.size;
    return count;
  }

  private deliverLocally(envelope: Envelope): void {
    const entry = this.local.get(participantKey(envelope.to));
    if (!entry) return;
    if (envelope.event === 'customer:state') {
      const state = envelope.payload as CustomerState;
      this.lastPosition.set(participantKey(envelope.to), state.state === 'waiting' ? String(state.position) : '');
    }
    for (const socket of entry.sockets.values()) {
      (socket.emit as (event: string, payload: unknown) => unknown)(envelope.event, envelope.payload);
    }
  }

  private async confirmLeave(participant: Participant, connection: string): Promise<void> {
    try {
      const lease = await this.lease(participant);
      // Came back (here or on another instance) within the grace period: nothing to do.
      if (lease && (lease.conn !== connection || !lease.away)) return;
      await this.store.delete(leaseKey(participant.kind, participant.id));
      await this.onLeft(participant);
    } catch (error) {
      this.logger.error(`Handling a ${participant.kind} who left failed: ${(error as Error).message}`);
    }
  }

  private async renewLeases(): Promise<void> {
    await Promise.all(
      [...this.local.values()].map(({ participant, sockets }) => {
        const [first] = sockets.keys();
        return this.writeLease(participant, { inst: this.instanceId, conn: first ?? null, away: false }).catch(() => undefined);
      }),
    );
  }

  /** Pushes positions to waiting customers here and the queue length to reps here, when the queue changed. */
  private async watchQueue(): Promise<void> {
    if (this.watching || this.local.size === 0) return;
    this.watching = true;
    try {
      const version = await this.queue.version();
      if (version === this.lastVersion) return;
      this.lastVersion = version;
      const waiting = await this.queue.waiting();
      for (const [key, { participant }] of this.local) {
        if (participant.kind === 'rep') {
          this.deliverLocally({ to: participant, event: 'queue:waiting', payload: { waiting: waiting.length } });
          continue;
        }
        const entry = waiting.find((w) => w.helpSessionId === participant.id);
        if (!entry || this.lastPosition.get(key) === String(entry.position)) continue;
        const estimatedWaitMs = await this.queue.estimateWaitMs(entry.position);
        this.deliverLocally({
          to: participant,
          event: 'customer:state',
          payload: { state: 'waiting', position: entry.position, estimatedWaitMs },
        });
      }
    } catch (error) {
      this.logger.warn(`Pushing queue positions failed: ${(error as Error).message}`);
    } finally {
      this.watching = false;
    }
  }

  /** This instance's figures in a slot of the store, so any instance can add them all up. */
  private async publishSlot(): Promise<void> {
    try {
      const reps = [...this.local.values()]
        .filter(({ participant }) => participant.kind === 'rep')
        .map(({ participant }) => participant.id);
      const matches = await Promise.all(reps.map((id) => this.store.get(`rep:${id}:match`)));
      const busy = matches.filter((m) => m !== null) as string[];
      const calls = (await Promise.all(busy.map((id) => this.store.get(`hs:${id}:match`))))
        .filter((raw): raw is string => raw !== null)
        .map((raw) => (JSON.parse(raw) as { matchId: string }).matchId);
      const confirmed = (await Promise.all(calls.map((matchId) => this.store.get(`m:${matchId}:start`)))).filter((s) => s === 'confirmed');
      const value: InstanceSlot = {
        id: this.instanceId,
        sockets: this.localSockets(),
        reps: reps.length,
        busy: busy.length,
        calls: confirmed.length,
      };
      if (this.slot !== null) {
        const current = await this.store.get(slotKey(this.slot));
        if (current === null || (JSON.parse(current) as InstanceSlot).id === this.instanceId) {
          await this.store.set(slotKey(this.slot), JSON.stringify(value), SLOT_TTL);
          return;
        }
        this.slot = null;
      }
      for (let slot = 0; slot < MAX_INSTANCES; slot++) {
        if (await this.store.add(slotKey(slot), JSON.stringify(value), SLOT_TTL)) {
          this.slot = slot;
          return;
        }
      }
      this.logger.warn(`All ${MAX_INSTANCES} instance slots are taken: this instance's figures are left out of the totals.`);
    } catch (error) {
      this.logger.warn(`Publishing presence figures failed: ${(error as Error).message}`);
    }
  }

  private async lease(participant: Participant): Promise<Lease | null> {
    const raw = await this.store.get(leaseKey(participant.kind, participant.id));
    return raw === null ? null : (JSON.parse(raw) as Lease);
  }

  private async writeLease(participant: Participant, lease: Lease): Promise<void> {
    await this.store.set(leaseKey(participant.kind, participant.id), JSON.stringify(lease), this.leaseTtl);
  }
}

/** A connection id for sockets that lack one (tests). */
export const connectionId = () => randomBytes(8).toString('base64url');
