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

/** A message for every instance (the sender included only when it listens to its own). */
export interface Broadcast {
  from: string;
  topic: string;
  payload: unknown;
}

/** One numbered log in the store: a counter and entries, read in order by a cursor of this instance. */
interface Stream {
  tailKey: string;
  entryKey: (n: number) => string;
  /** The instance's own inbox deletes what it delivered; the shared log is read by everyone and expires. */
  own: boolean;
  read: number;
  missingSince: number | null;
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
 * Beside it, one shared log that every instance reads (`broadcast`): the queue's changes travel on it, so
 * that each instance moves its own customers' positions without reading the queue.
 *
 * Owns the store keys `ib:{instanceId}:tail` (the counter) and `ib:{instanceId}:{n}` (the entries, deleted
 * once delivered), and `ib:all:tail`, `ib:all:{n}` (the shared log; entries expire after a minute).
 */
@Injectable()
export class InstanceInbox implements OnModuleInit, OnModuleDestroy {
  readonly instanceId = randomBytes(6).toString('base64url');
  private readonly logger = new Logger(InstanceInbox.name);
  private timer: NodeJS.Timeout | null = null;
  private readonly own: Stream = { tailKey: '', entryKey: () => '', own: true, read: 0, missingSince: null };
  private readonly shared: Stream = { tailKey: sharedTailKey, entryKey: sharedEntryKey, own: false, read: 0, missingSince: null };
  private readonly listeners = new Map<string, (payload: unknown, from: string) => void>();
  private polling = false;

  constructor(
    private readonly store: KeyValueStore,
    private readonly recipient: InboxRecipient,
  ) {}

  async onModuleInit(): Promise<void> {
    this.own.tailKey = inboxTailKey(this.instanceId);
    this.own.entryKey = (n) => inboxEntryKey(this.instanceId, n);
    // Start after whatever an earlier process with the same id left (ids are random: normally nothing), and
    // after what was broadcast before this instance started.
    const [own, shared] = await Promise.all([this.own.tailKey, sharedTailKey].map((key) => this.store.get(key).catch(() => null)));
    this.own.read = Number(own ?? 0);
    this.shared.read = Number(shared ?? 0);
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The store lost its keys: the counter starts again from nothing. */
  restart(): void {
    for (const stream of [this.own, this.shared]) {
      stream.read = 0;
      stream.missingSince = null;
    }
  }

  async deliver(instanceId: string, envelope: Envelope): Promise<void> {
    const n = await this.store.increment(inboxTailKey(instanceId), 1, { initial: 1, ttlSeconds: TAIL_TTL });
    await this.store.set(inboxEntryKey(instanceId, n), JSON.stringify(envelope), INBOX_TTL);
  }

  /** Tells every other instance (each hears it within a poll, 50 ms). */
  async broadcast(topic: string, payload: unknown): Promise<void> {
    const n = await this.store.increment(sharedTailKey, 1, { initial: 1, ttlSeconds: TAIL_TTL });
    await this.store.set(sharedEntryKey(n), JSON.stringify({ from: this.instanceId, topic, payload } satisfies Broadcast), INBOX_TTL);
  }

  /** The one listener of a broadcast topic on this instance; its own broadcasts are left out. */
  listen(topic: string, listener: (payload: unknown, from: string) => void): void {
    this.listeners.set(topic, listener);
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      await this.pollStream(this.own, (raw) => this.recipient.receive(JSON.parse(raw) as Envelope));
      if (this.listeners.size > 0) await this.pollStream(this.shared, (raw) => this.hear(JSON.parse(raw) as Broadcast));
    } catch (error) {
      this.logger.warn(`Reading the instance inbox failed: ${(error as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  private async pollStream(stream: Stream, handle: (raw: string) => void): Promise<void> {
    const tail = Number((await this.store.get(stream.tailKey)) ?? 0);
    // Behind what was read: the store lost the counter (a restart) and it counts from 1 again.
    if (tail < stream.read) {
      stream.read = 0;
      stream.missingSince = null;
    }
    if (tail <= stream.read) return;
    const numbers = Array.from({ length: tail - stream.read }, (_, i) => stream.read + 1 + i);
    const entries = await Promise.all(numbers.map((n) => this.store.get(stream.entryKey(n))));
    const delivered: number[] = [];
    for (const raw of entries) {
      if (raw === null) {
        // Written in order: wait for a missing entry a little, then give it up.
        stream.missingSince ??= Date.now();
        if (Date.now() - stream.missingSince < MISSING_GIVE_UP_MS) break;
      } else {
        this.dispatch(raw, handle);
        delivered.push(stream.read + 1);
      }
      stream.missingSince = null;
      stream.read = stream.read + 1;
    }
    // Entries may carry call signals: gone once delivered rather than left for their TTL.
    if (stream.own) await Promise.all(delivered.map((n) => this.store.delete(stream.entryKey(n))));
  }

  private hear(message: Broadcast): void {
    if (message.from === this.instanceId) return;
    this.listeners.get(message.topic)?.(message.payload, message.from);
  }

  private dispatch(raw: string, handle: (raw: string) => void): void {
    try {
      handle(raw);
    } catch (error) {
      this.logger.warn(`An inbox message could not be delivered: ${(error as Error).message}`);
    }
  }
}

const inboxTailKey = (instanceId: string) => `ib:${instanceId}:tail`;
const inboxEntryKey = (instanceId: string, n: number) => `ib:${instanceId}:${n}`;
const sharedTailKey = 'ib:all:tail';
const sharedEntryKey = (n: number) => `ib:all:${n}`;
