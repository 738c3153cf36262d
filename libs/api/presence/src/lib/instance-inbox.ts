import { randomBytes } from 'node:crypto';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { KeyValueStore } from '@servicekit/api/store';
import { Participant } from './participant';

/** A message for someone connected to another instance. */
export interface Envelope {
  to: Participant;
  event: string;
  payload: unknown;
}

/** Whoever hands an envelope to the sockets held on this instance (the local socket registry). */
export abstract class InboxRecipient {
  abstract receive(envelope: Envelope): void;
}

const INBOX_TTL = 60;
const TAIL_TTL = 30 * 24 * 60 * 60;
const POLL_MS = 50;
/** A slot whose write never arrives (the sender died between increment and set) is given up after this. */
const MISSING_GIVE_UP_MS = 2000;

/**
 * Each instance has an inbox in the store: a counter and numbered entries. Another instance that needs to
 * reach a socket held here appends to it; this instance polls its own counter (one get per tick) and hands
 * new entries to the recipient. State lives in the store anyway: the inbox only makes changes immediate.
 *
 * Owns the store keys `ib:{instanceId}:tail` (the counter) and `ib:{instanceId}:{n}` (the entries, deleted
 * once delivered).
 */
@Injectable()
export class InstanceInbox implements OnModuleInit, OnModuleDestroy {
  readonly instanceId = randomBytes(6).toString('base64url');
  private readonly logger = new Logger(InstanceInbox.name);
  private timer: NodeJS.Timeout | null = null;
  private read = 0;
  private missingSince: number | null = null;
  private polling = false;

  constructor(
    private readonly store: KeyValueStore,
    private readonly recipient: InboxRecipient,
  ) {}

  async onModuleInit(): Promise<void> {
    // Start after whatever an earlier process with the same id left (ids are random: normally nothing).
    this.read = Number((await this.store.get(inboxTailKey(this.instanceId)).catch(() => null)) ?? 0);
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The store lost its keys: the counter starts again from nothing. */
  restart(): void {
    this.read = 0;
    this.missingSince = null;
  }

  async deliver(instanceId: string, envelope: Envelope): Promise<void> {
    const n = await this.store.increment(inboxTailKey(instanceId), 1, { initial: 1, ttlSeconds: TAIL_TTL });
    await this.store.set(inboxEntryKey(instanceId, n), JSON.stringify(envelope), INBOX_TTL);
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const tail = Number((await this.store.get(inboxTailKey(this.instanceId))) ?? 0);
      // Behind what was read: the store lost the counter (a restart) and it counts from 1 again.
      if (tail < this.read) this.restart();
      if (tail <= this.read) return;
      const numbers = Array.from({ length: tail - this.read }, (_, i) => this.read + 1 + i);
      const entries = await Promise.all(numbers.map((n) => this.store.get(inboxEntryKey(this.instanceId, n))));
      const delivered: number[] = [];
      for (const raw of entries) {
        if (raw === null) {
          // Written in order: wait for a missing entry a little, then give it up.
          this.missingSince ??= Date.now();
          if (Date.now() - this.missingSince < MISSING_GIVE_UP_MS) break;
        } else {
          this.dispatch(raw);
          delivered.push(this.read + 1);
        }
        this.missingSince = null;
        this.read = this.read + 1;
      }
      // Entries may carry call signals: gone once delivered rather than left for their TTL.
      await Promise.all(delivered.map((n) => this.store.delete(inboxEntryKey(this.instanceId, n))));
    } catch (error) {
      this.logger.warn(`Reading the instance inbox failed: ${(error as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  private dispatch(raw: string): void {
    try {
      this.recipient.receive(JSON.parse(raw) as Envelope);
    } catch (error) {
      this.logger.warn(`An inbox message could not be delivered: ${(error as Error).message}`);
    }
  }
}

const inboxTailKey = (instanceId: string) => `ib:${instanceId}:tail`;
const inboxEntryKey = (instanceId: string, n: number) => `ib:${instanceId}:${n}`;
