import { Injectable, Logger, OnApplicationShutdown, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { KeyValueStore } from '@servicekit/api/store';
import { InstanceInbox } from './instance-inbox';
import { LeaseRecords } from './lease.records';
import { LocalSockets } from './local-sockets';
import { PresenceSnapshot, PresenceStats } from './presence-stats';
import { RepActivity } from './presence.ports';

/** One instance's figures, as it publishes them. */
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

/**
 * The figures operators see, added up over every instance: each instance publishes its own (sockets, reps,
 * reps busy, calls) every few seconds in a slot of the store that expires unless renewed, so a dead
 * instance drops out of the totals by itself. Owns the store keys `inst:{0…63}`.
 */
@Injectable()
export class InstanceFigures extends PresenceStats implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger(InstanceFigures.name);
  private timer: NodeJS.Timeout | null = null;
  private slot: number | null = null;

  constructor(
    private readonly store: KeyValueStore,
    private readonly sockets: LocalSockets,
    private readonly inbox: InstanceInbox,
    private readonly leases: LeaseRecords,
    private readonly activity: RepActivity,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    this.timer = setInterval(() => void this.publish(), SLOT_RENEW_MS);
    this.timer.unref();
    await this.publish();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Stopping: this instance's figures leave the totals at once rather than when the slot expires. */
  async onApplicationShutdown(): Promise<void> {
    this.onModuleDestroy();
    if (this.slot !== null) await this.store.delete(slotKey(this.slot)).catch(() => undefined);
  }

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

  customersConnected(helpSessionIds: string[]): Promise<boolean[]> {
    return this.leases.customersConnected(helpSessionIds);
  }

  /** This instance's figures in a slot of the store, so any instance can add them all up. */
  async publish(): Promise<void> {
    try {
      const reps = this.sockets
        .participants()
        .filter(({ participant }) => participant.kind === 'rep')
        .map(({ participant }) => participant.id);
      const { busy, inCall } = await this.activity.activityOf(reps);
      const value: InstanceSlot = { id: this.inbox.instanceId, sockets: this.sockets.count(), reps: reps.length, busy, calls: inCall };
      if (this.slot !== null) {
        const current = await this.store.get(slotKey(this.slot));
        if (current === null || (JSON.parse(current) as InstanceSlot).id === this.inbox.instanceId) {
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
}

const slotKey = (slot: number) => `inst:${slot}`;
