import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { KeyValueStore } from '@servicekit/api/store';
import type { CallbackOutcome } from '@servicekit/contracts';

/** What a callback request holds: personal data (name, problem, contact), deleted when it is closed. */
export interface CallbackEntry {
  key: string;
  customerName: string;
  problemText: string;
  phone?: string;
  email?: string;
  requestedAt: number;
}

/** A ticket's fate: claimed by a rep, or closed with an outcome. Created with `add`: the first claim wins. */
export type CallbackFate = { kind: 'claimed'; repId: string } | { kind: 'closed'; outcome: CallbackOutcome };

const VOID = 'void';
const MAX_TICKET_ATTEMPTS = 8;
const BATCH = 32;

/**
 * The store keys of callback requests, and only these (every TTL is CALLBACK_RETENTION_HOURS at most):
 *   cb:tail        atomic counter: the last ticket handed out (renewed on every request, so it outlives entries)
 *   cb:head        hint: every ticket below it is settled (closed, expired or void)
 *   cb:t:{n}       the request (CallbackEntry: name, problem, phone/email), created with `add`; deleted when closed
 *   cb:c:{n}       its fate, created with `add` (`claim:{repId}`), then `done` / `not_reached`
 *   cb:n:{outcome} how many were closed with that outcome (no personal data)
 * A lister that meets a ticket whose entry is not written yet voids it with `add`, as the help queue does,
 * so the head can move past a request whose creation died half-way.
 */
@Injectable()
export class CallbackRecords {
  private readonly ttl: number;

  constructor(
    private readonly store: KeyValueStore,
    config: ServiceKitConfig,
  ) {
    this.ttl = config.callbackRetentionHours * 60 * 60;
  }

  get retentionMs(): number {
    return this.ttl * 1000;
  }

  /** A new request; its id is the ticket number and a secret, so ids cannot be guessed. */
  async create(entry: Omit<CallbackEntry, 'key'>): Promise<string> {
    const key = randomBytes(12).toString('base64url');
    for (let attempt = 0; attempt < MAX_TICKET_ATTEMPTS; attempt++) {
      const n = await this.store.increment('cb:tail', 1, { initial: 1, ttlSeconds: this.ttl });
      const [created] = await Promise.all([
        this.store.add(`cb:t:${n}`, JSON.stringify({ ...entry, key }), this.ttl),
        this.store.touch('cb:tail', this.ttl),
      ]);
      if (created) return `${n}.${key}`;
    }
    throw new Error('Could not take a callback ticket: too much contention.');
  }

  /** The request behind an id, or null (no such id, closed or expired). */
  async find(id: string): Promise<{ n: number; entry: CallbackEntry } | null> {
    const match = /^(\d{1,15})\.([A-Za-z0-9_-]{16})$/.exec(id);
    if (!match) return null;
    const n = Number(match[1]);
    const entry = parseEntry(await this.store.get(`cb:t:${n}`));
    return entry && entry.key === match[2] ? { n, entry } : null;
  }

  /** True for exactly one caller per ticket, however many reps try at once. */
  claim(n: number, repId: string): Promise<boolean> {
    return this.store.add(`cb:c:${n}`, `claim:${repId}`, this.ttl);
  }

  async fate(n: number): Promise<CallbackFate | null> {
    return parseFate(await this.store.get(`cb:c:${n}`));
  }

  /** Closes the request: the fate says how, the entry with the contact data goes. */
  async close(n: number, outcome: CallbackOutcome): Promise<void> {
    await this.store.set(`cb:c:${n}`, outcome, this.ttl);
    await this.store.delete(`cb:t:${n}`);
    await this.store.increment(`cb:n:${outcome}`, 1, { initial: 1, ttlSeconds: this.ttl });
  }

  async closedCount(outcome: CallbackOutcome): Promise<number> {
    return Number((await this.store.get(`cb:n:${outcome}`)) ?? 0) || 0;
  }

  /** Every request not closed and not expired, oldest first, with its fate; moves the head past settled ones. */
  async live(): Promise<{ n: number; id: string; entry: CallbackEntry; fate: CallbackFate | null }[]> {
    const tail = Number((await this.store.get('cb:tail')) ?? 0);
    const head = Math.max(1, Number((await this.store.get('cb:head')) ?? 1));
    const result: { n: number; id: string; entry: CallbackEntry; fate: CallbackFate | null }[] = [];
    let settledUpTo = head;
    let prefix = true;
    for (let from = head; from <= tail; from += BATCH) {
      const numbers = Array.from({ length: Math.min(BATCH, tail - from + 1) }, (_, i) => from + i);
      const [rawEntries, rawFates] = await Promise.all([
        Promise.all(numbers.map((n) => this.store.get(`cb:t:${n}`))),
        Promise.all(numbers.map((n) => this.store.get(`cb:c:${n}`))),
      ]);
      for (const [i, n] of numbers.entries()) {
        let raw = rawEntries[i] ?? null;
        // Not written yet (a request in flight) or never (its creation died): void it; if it was written meanwhile, read it.
        if (raw === null && !(await this.store.add(`cb:t:${n}`, VOID, this.ttl))) raw = await this.store.get(`cb:t:${n}`);
        const entry = parseEntry(raw);
        const fate = parseFate(rawFates[i] ?? null);
        if (!entry || fate?.kind === 'closed') {
          if (prefix) settledUpTo = n + 1;
          continue;
        }
        prefix = false;
        result.push({ n, id: `${n}.${entry.key}`, entry, fate });
      }
    }
    if (settledUpTo > head) await this.store.set('cb:head', String(settledUpTo), this.ttl);
    return result;
  }
}

function parseEntry(value: string | null): CallbackEntry | null {
  if (value === null || value === VOID) return null;
  try {
    const parsed = JSON.parse(value) as Partial<CallbackEntry>;
    return typeof parsed.key === 'string' && typeof parsed.customerName === 'string' ? (parsed as CallbackEntry) : null;
  } catch {
    return null;
  }
}

function parseFate(value: string | null): CallbackFate | null {
  if (value === null) return null;
  if (value.startsWith('claim:')) return { kind: 'claimed', repId: value.slice('claim:'.length) };
  return value === 'done' || value === 'not_reached' ? { kind: 'closed', outcome: value } : null;
}
