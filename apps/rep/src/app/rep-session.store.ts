import { computed, Injectable, signal } from '@angular/core';
import type { RepRole, RepSessionResponse, RepSignInMethod } from '@servicekit/contracts';

/** The signed-in rep, for this tab only. */
export interface RepSession {
  token: string;
  name: string;
  /** ISO 8601. */
  expiresAt: string;
  roles: RepRole[];
  via: RepSignInMethod;
}

const STORAGE_KEY = 'sk.rep';

export const SESSION_EXPIRED_NOTICE = 'Your sign-in has expired. Sign in again to take customers.';

/**
 * The rep's sign-in, kept in sessionStorage so a reload of the console keeps it; gone once expired. The
 * server holds the session itself (it can end it at any time: the console then hears why and comes here).
 */
@Injectable({ providedIn: 'root' })
export class RepSessionStore {
  private readonly stored = signal<RepSession | null>(readStored());
  /** Why the rep is back at the sign-in page (signed out, expired), for a message there. */
  readonly notice = signal<string | null>(null);
  readonly name = computed(() => this.stored()?.name ?? '');
  readonly isSupervisor = computed(() => this.stored()?.roles.includes('supervisor') ?? false);

  /** The session if it is still valid; an expired one is forgotten. */
  current(): RepSession | null {
    const session = this.stored();
    if (session && isExpired(session)) {
      this.clear(SESSION_EXPIRED_NOTICE);
      return null;
    }
    return session;
  }

  save(response: RepSessionResponse): void {
    const session: RepSession = {
      token: response.token,
      name: response.name,
      expiresAt: response.expiresAt,
      roles: [...response.roles],
      via: response.via,
    };
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    } catch {
      // Storage blocked: the session lasts as long as the page.
    }
    this.stored.set(session);
    this.notice.set(null);
  }

  clear(notice: string | null = null): void {
    try {
      sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // Storage blocked: nothing was kept.
    }
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
    const roles = Array.isArray(value.roles)
      ? value.roles.filter((role): role is RepRole => role === 'rep' || role === 'supervisor')
      : ['rep' as const];
    const session: RepSession = { token: value.token, name: value.name, expiresAt: value.expiresAt, roles, via: value.via ?? 'passcode' };
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
