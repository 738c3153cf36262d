import { computed, Injectable, signal } from '@angular/core';
import type { RepSignInResponse } from '@servicekit/contracts';

/** The signed-in rep, for this tab only. */
export interface RepSession {
  token: string;
  name: string;
  /** ISO 8601. */
  expiresAt: string;
}

const STORAGE_KEY = 'sk.rep';

export const SESSION_EXPIRED_NOTICE = 'Your sign-in has expired. Sign in again to take customers.';

/** The rep's sign-in, kept in sessionStorage so a reload of the console keeps it; gone once expired. */
@Injectable({ providedIn: 'root' })
export class RepSessionStore {
  private readonly stored = signal<RepSession | null>(readStored());
  /** Why the rep is back at the sign-in page (signed out, expired), for a message there. */
  readonly notice = signal<string | null>(null);
  readonly name = computed(() => this.stored()?.name ?? '');

  /** The session if it is still valid; an expired one is forgotten. */
  current(): RepSession | null {
    const session = this.stored();
    if (session && isExpired(session)) {
      this.clear(SESSION_EXPIRED_NOTICE);
      return null;
    }
    return session;
  }

  save(response: RepSignInResponse): void {
    const session: RepSession = { token: response.token, name: response.name, expiresAt: response.expiresAt };
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    this.stored.set(session);
    this.notice.set(null);
  }

  clear(notice: string | null = null): void {
    sessionStorage.removeItem(STORAGE_KEY);
    this.stored.set(null);
    this.notice.set(notice);
  }
}

function isExpired(session: RepSession): boolean {
  const expiresAt = Date.parse(session.expiresAt);
  return Number.isNaN(expiresAt) || expiresAt <= Date.now();
}

function readStored(): RepSession | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<RepSession>;
    if (typeof value.token !== 'string' || typeof value.name !== 'string' || typeof value.expiresAt !== 'string') return null;
    const session = { token: value.token, name: value.name, expiresAt: value.expiresAt };
    if (isExpired(session)) {
      sessionStorage.removeItem(STORAGE_KEY);
      return null;
    }
    return session;
  } catch {
    // Storage blocked or a corrupt entry: the rep simply signs in again.
    return null;
  }
}
