import type { RepRole, RepSignInMethod, RepSessionEnd } from '@servicekit/contracts';

export type { RepRole, RepSignInMethod, RepSessionEnd };

/** A rep as the match and the logs know them: the id of this sign-in and the name shown to customers. */
export interface RepIdentity {
  /** The id of this sign-in (the rep session): one per browser, the key of the rep's match and presence. */
  repId: string;
  /** Shown to customers and supervisors, and written in the logs of the rep's actions. */
  name: string;
}

/** Who a signed-in rep is, as the guards put it on the request. */
export interface SignedInRep extends RepIdentity {
  /**
   * Who signed in, stable across sign-ins: `account:<login>`, `sso:<subject>`, or `passcode:<name>` (the
   * shared passcode knows no more than the name typed).
   */
  account: string;
  roles: readonly RepRole[];
}

/** A rep session as RepSessions stores it (no personal data of customers; the rep's own name and login). */
export interface RepSessionRecord extends SignedInRep {
  via: RepSignInMethod;
  /** Epoch ms. */
  startedAt: number;
  /** Last activity (epoch ms), renewed at most once a minute. */
  seenAt: number;
  /** The absolute end (epoch ms): REP_SESSION_MAX_MS after sign-in. */
  expiresAt: number;
  /** Single sign-on: the ID token, as the hint for the provider's sign-out (RP-initiated logout). */
  idToken?: string;
}

/** The port through which a session's end reaches the rep's open consoles, on whichever instance holds them. */
export abstract class RepSignOuts {
  /** Tell the rep's sockets why the session ended, then close them. */
  abstract signedOut(repId: string, reason: RepSessionEnd): Promise<void>;
}
