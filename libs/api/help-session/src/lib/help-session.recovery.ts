import { Injectable, Logger } from '@nestjs/common';
import { CallNotifier, CurrentCall, CustomerPresence, MatchService } from '@servicekit/api/match';
import { HelpQueue, OpenTicket } from '@servicekit/api/queue';
import { KeyValueStore } from '@servicekit/api/store';
import { HelpSessionRecord, HelpSessionRecords } from './help-session.records';

/**
 * What the instance holding a customer's socket keeps, in memory only, to write the help session back after
 * the store lost it: the customer's record (personal data: never logged), where they waited, their call.
 */
export interface SessionKit {
  readonly helpSessionId: string;
  readonly customer: HelpSessionRecord;
  readonly ticket: OpenTicket | null;
  readonly call: CurrentCall | null;
}

/** A customer to queue again, and where they stood: `rank` 0 reserved, 1 front lane, 2 main lane; then `n`. */
interface Requeue {
  id: string;
  rank: number;
  n: number;
  at: number;
}

/** How long the instances have to report whom they hold before the queue is rebuilt. */
const SETTLE_MS = 2_000;
const REQUEUE_TTL = 10 * 60;

/**
 * A memcached restart loses every key while customers are still connected: their sockets and tokens prove who
 * they are, and the instances holding their sockets remember their help sessions (SessionKit). Each instance
 * writes back the records of its customers and keeps their calls going; the customers who were waiting (or
 * reserved: they were ahead) are queued again in their old order by one instance, once every instance has had
 * time to say whom it holds, at the front, ahead of anyone who asked since. A customer who was not connected
 * at that moment is not known to any instance: their page is told the request was lost.
 *
 * Owns the store keys (of generation `{epoch}` of the store): rq:{epoch}:n and rq:{epoch}:{i} (whom to queue
 * again, ids and ticket numbers only), rq:{epoch}:lead (the instance that rebuilds the queue), rq:{epoch}:done
 * (it has started: later reports are queued by their instance) and rq:{epoch}:s:{id} (that customer is placed).
 */
@Injectable()
export class HelpSessionRecovery {
  private readonly logger = new Logger(HelpSessionRecovery.name);

  constructor(
    private readonly records: HelpSessionRecords,
    private readonly matches: MatchService,
    private readonly queue: HelpQueue,
    private readonly presence: CustomerPresence,
    private readonly notifier: CallNotifier,
    private readonly store: KeyValueStore,
  ) {}

  /** The help session as it is now; null when it has ended or does not exist. */
  async kit(helpSessionId: string): Promise<SessionKit | null> {
    const [customer, call, ticket] = await Promise.all([
      this.records.customer(helpSessionId),
      this.matches.callOf(helpSessionId),
      this.queue.ticketOf(helpSessionId),
    ]);
    return customer === null ? null : { helpSessionId, customer, call, ticket };
  }

  /** Writes back what the store lost of these help sessions (generation `epoch`); the rest is left alone. */
  async restore(kits: readonly SessionKit[], epoch: string): Promise<void> {
    const requeue: Requeue[] = [];
    let calls = 0;
    for (const kit of kits) {
      // Ended, or not lost at all (the epoch key went alone): nothing to write back.
      if ((await this.records.state(kit.helpSessionId)) !== 'missing') continue;
      await this.records.create(kit.helpSessionId, kit.customer);
      if (kit.call?.confirmed) {
        await this.matches.restoreCall(kit.call.match);
        calls++;
      } else if (kit.call) {
        const { match } = kit.call;
        requeue.push({ id: kit.helpSessionId, rank: 0, n: match.claimedAt, at: match.enqueuedAt });
        // The reservation is gone with the store: the rep's console says so (and the customer waits again).
        await this.notifier.rep(match.repId, { state: 'available', waiting: 0 });
      } else if (kit.ticket) {
        const { front, n, enqueuedAt } = kit.ticket;
        requeue.push({ id: kit.helpSessionId, rank: front ? 1 : 2, n, at: enqueuedAt });
      }
    }
    this.logger.warn(`Restored after the store lost its keys: ${requeue.length} customer(s) to queue again, ${calls} call(s).`);
    await this.report(epoch, requeue);
  }

  /** Says whom to queue again; the first instance to report rebuilds the queue once everybody had time to. */
  private async report(epoch: string, requeue: Requeue[]): Promise<void> {
    if (requeue.length === 0) return;
    await Promise.all(
      requeue.map(async (entry) => {
        const i = await this.store.increment(`rq:${epoch}:n`, 1, { initial: 1, ttlSeconds: REQUEUE_TTL });
        await this.store.set(`rq:${epoch}:${i}`, JSON.stringify(entry), REQUEUE_TTL);
      }),
    );
    if (await this.store.add(`rq:${epoch}:lead`, '1', REQUEUE_TTL)) {
      setTimeout(() => void this.rebuild(epoch), SETTLE_MS);
    } else if ((await this.store.get(`rq:${epoch}:done`)) !== null) {
      // Too late for the rebuild: behind those it placed, still ahead of newcomers.
      await this.place(epoch, requeue.sort(servingOrder));
    }
  }

  private async rebuild(epoch: string): Promise<void> {
    try {
      await this.store.set(`rq:${epoch}:done`, '1', REQUEUE_TTL);
      const count = Number((await this.store.get(`rq:${epoch}:n`)) ?? 0);
      const raws = await Promise.all(Array.from({ length: count }, (_, i) => this.store.get(`rq:${epoch}:${i + 1}`)));
      const entries = raws.filter((raw): raw is string => raw !== null).map((raw) => JSON.parse(raw) as Requeue);
      await this.place(epoch, entries.sort(servingOrder));
    } catch (error) {
      this.logger.error(`Queueing the restored customers again failed: ${(error as Error).message}`);
    }
  }

  /** Queues them at the front in this order, each once, keeping their original enqueue time. */
  private async place(epoch: string, entries: Requeue[]): Promise<void> {
    for (const { id, at } of entries) {
      if (!(await this.store.add(`rq:${epoch}:s:${id}`, '1', REQUEUE_TTL))) continue;
      if (!(await this.records.isOpen(id))) continue;
      await this.presence.expect(id);
      await this.queue.returnToFront(id, at);
    }
  }
}

function servingOrder(a: Requeue, b: Requeue): number {
  return a.rank - b.rank || a.n - b.n || a.at - b.at;
}
