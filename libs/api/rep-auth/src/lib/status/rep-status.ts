import { Injectable } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { DomainError } from '@servicekit/api/errors';
import { KeyValueStore } from '@servicekit/api/store';
import type { RepChosenStatus, RepStatusResponse } from '@servicekit/contracts';

/** A reservation or call does not outlive 3 h (the help session's lifetime). */
const CALL_TTL_SECONDS = 3 * 60 * 60;

/** Next Customer while the rep is set to away. */
export class RepAwayError extends DomainError {
  readonly code = 'rep_away';
  constructor() {
    super('You are set to away. Set yourself available to take customers.');
  }
}

/** Next Customer during the after-call wrap-up. */
export class RepWrapUpError extends DomainError {
  readonly code = 'rep_wrap_up';
  constructor(readonly msLeft: number) {
    const seconds = Math.max(1, Math.ceil(msLeft / 1000));
    super(`You are in wrap-up after your last call. You can take the next customer in ${seconds} second${seconds === 1 ? '' : 's'}.`);
  }
}

/**
 * A rep's status, and only these store keys (one writer each, so the rep and the server never overwrite each
 * other's part):
 *   rst:{repId}  what the rep chose: "away" (absent = available, so a rep is available on sign-in);
 *                the rep session's absolute lifetime, rewritten on each change, deleted at sign-out
 *   rsc:{repId}  what the server set: "call" (a reservation or a call: 3 h) or "wrap:{until}" (WRAP_UP_MS
 *                after the call ended, + 2 s; the until decides, the TTL only cleans up)
 * The status is in-call while there is a call, else wrap-up until its end, else the rep's choice.
 */
@Injectable()
export class RepStatusService {
  private readonly wrapUpMs: number;
  private readonly choiceTtlSeconds: number;

  constructor(
    private readonly store: KeyValueStore,
    config: ServiceKitConfig,
  ) {
    this.wrapUpMs = config.wrapUpMs;
    this.choiceTtlSeconds = Math.ceil(config.repSessionMaxMs / 1000);
  }

  async read(repId: string, now = Date.now()): Promise<RepStatusResponse> {
    const [choice, server] = await Promise.all([this.store.get(choiceKey(repId)), this.store.get(serverKey(repId))]);
    const chosen: RepChosenStatus = choice === 'away' ? 'away' : 'available';
    if (server === 'call') return { status: 'in-call', chosen };
    const until = server?.startsWith('wrap:') ? Number(server.slice(5)) : Number.NaN;
    if (until > now) return { status: 'wrap-up', chosen, wrapUpEndsAt: new Date(until).toISOString(), wrapUpMsLeft: until - now };
    return { status: chosen, chosen };
  }

  /** The rep sets available or away (during a call or wrap-up it is what they are once that is over). */
  async choose(repId: string, status: RepChosenStatus, now = Date.now()): Promise<RepStatusResponse> {
    if (status === 'away') await this.store.set(choiceKey(repId), 'away', this.choiceTtlSeconds);
    else await this.store.delete(choiceKey(repId));
    return this.read(repId, now);
  }

  /** Throws when the rep may not take a customer now (away, or in wrap-up). */
  async assertCanTakeCustomer(repId: string, now = Date.now()): Promise<void> {
    const status = await this.read(repId, now);
    if (status.status === 'away') throw new RepAwayError();
    if (status.status === 'wrap-up') throw new RepWrapUpError(status.wrapUpMsLeft ?? 0);
  }

  /** The rep holds a reservation or a call. */
  async callStarted(repId: string): Promise<void> {
    await this.store.set(serverKey(repId), 'call', CALL_TTL_SECONDS);
  }

  /** The call ended: wrap-up for WRAP_UP_MS (none when 0). */
  async callEnded(repId: string, now = Date.now()): Promise<void> {
    if (this.wrapUpMs <= 0) {
      await this.store.delete(serverKey(repId));
      return;
    }
    await this.store.set(serverKey(repId), `wrap:${now + this.wrapUpMs}`, Math.ceil(this.wrapUpMs / 1000) + 2);
  }

  /** A reservation that never became a call (no-show, handed back): no wrap-up. */
  async callDropped(repId: string): Promise<void> {
    await this.store.delete(serverKey(repId));
  }

  /** Signed out: nothing of the rep's status stays. */
  async forget(repId: string): Promise<void> {
    await Promise.all([this.store.delete(choiceKey(repId)), this.store.delete(serverKey(repId))]);
  }
}

const choiceKey = (repId: string) => `rst:${repId}`;
const serverKey = (repId: string) => `rsc:${repId}`;
