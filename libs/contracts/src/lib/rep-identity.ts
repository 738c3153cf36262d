import { PASSCODE_MAX, TextFieldRule } from './limits';

/** A rep takes customers; a supervisor also sees the operators' page and can sign reps out. */
export type RepRole = 'rep' | 'supervisor';

/** How a rep signed in: the shared passcode, a personal account (REP_ACCOUNTS_FILE) or single sign-on. */
export type RepSignInMethod = 'passcode' | 'account' | 'sso';

/** Why a rep session ended before its time (sent to the rep's open consoles, and in the 401 afterwards). */
export type RepSessionEnd = 'signed-out' | 'by-supervisor' | 'account-removed';

export const REP_SESSION_END_NOTICES: Readonly<Record<RepSessionEnd | 'idle', string>> = {
  'signed-out': 'You have signed out.',
  'by-supervisor': 'A supervisor signed you out. Sign in again to take customers.',
  'account-removed': 'Your account was removed or changed. Ask your team lead, then sign in again.',
  idle: 'You were signed out after a time without activity. Sign in again to take customers.',
};

/** `GET /api/reps/sign-in`: which ways in this deployment offers, for the sign-in page. */
export interface RepSignInOptions {
  /** The shared team passcode (display name + passcode). */
  passcode: boolean;
  /** Personal accounts (login + password). */
  accounts: boolean;
  /** Single sign-on: the provider's name for the button, or null. */
  sso: { providerName: string } | null;
}

export const LOGIN_MAX = 64;
export const ACCOUNT_SIGN_IN_FIELDS = {
  login: { label: 'Your login', max: LOGIN_MAX },
  password: { label: 'Your password', max: PASSCODE_MAX },
} as const satisfies Record<string, TextFieldRule>;

export interface AccountSignInRequest {
  login: string;
  password: string;
}

/** `GET /api/reps/sessions/current`: the signed-in rep (cookie or bearer), with the token for the socket. */
export interface RepSessionResponse {
  token: string;
  repId: string;
  name: string;
  roles: RepRole[];
  via: RepSignInMethod;
  /** ISO 8601: the absolute end of the session. */
  expiresAt: string;
}

/** `DELETE /api/reps/sessions`: after single sign-on, where to sign out of the provider too. */
export interface RepSignOutResponse {
  logoutUrl?: string;
}

/** Why single sign-on sent the browser back without a session (`/rep/?sso_error=<code>`). */
export const SSO_ERRORS = {
  'not-a-rep': 'Your account is not in the representatives group. Ask your administrator to add you, then try again.',
  state: 'That sign-in link was not started here or has expired. Start again with the button below.',
  failed: 'The sign-in with your provider did not complete. Try again; if it keeps failing, ask your administrator.',
  unavailable: 'The identity provider cannot be reached right now. Try again in a minute.',
} as const;
export type SsoError = keyof typeof SSO_ERRORS;

/** A rep's status: the rep sets available or away; the server sets in-call (a reservation or a call) and wrap-up (`WRAP_UP_MS` after a call). */
export const REP_STATUSES = ['available', 'away', 'in-call', 'wrap-up'] as const;
export type RepStatus = (typeof REP_STATUSES)[number];
/** What a rep may set themselves. */
export const REP_CHOSEN_STATUSES = ['available', 'away'] as const;
export type RepChosenStatus = (typeof REP_CHOSEN_STATUSES)[number];

/** `PUT /api/reps/me/status` body. */
export interface RepStatusRequest {
  status: RepChosenStatus;
}

/** `GET` and `PUT /api/reps/me/status`. */
export interface RepStatusResponse {
  status: RepStatus;
  /** What the rep chose (what they are once a call and its wrap-up are over). */
  chosen: RepChosenStatus;
  /** In wrap-up: when it ends (ISO 8601) and how long is left, by the server's clock. */
  wrapUpEndsAt?: string;
  wrapUpMsLeft?: number;
}

/** `GET /api/ops/reps` (supervisor or operator token): the reps signed in now. */
export interface OpsRepEntry {
  repId: string;
  name: string;
  /** `account:<login>`, `sso:<subject>` or `passcode:<name>`. */
  account: string;
  roles: RepRole[];
  via: RepSignInMethod;
  /** ISO 8601. */
  signedInAt: string;
  /** The rep's status (`GET /api/reps/me/status`): available, away (set by the rep), in-call, wrap-up (set by the server). */
  status: RepStatus;
  /** The rep's console is open (connected to the presence socket). */
  connected: boolean;
  inCall: boolean;
  /** ISO 8601: since when the rep is in the current call (or reserved for a customer), else since sign-in. */
  since: string;
  /** Calls this account finished today (UTC), and their mean handle time (claim to end). */
  callsToday: number;
  meanHandleMs: number | null;
}

export interface OpsRepsResponse {
  reps: OpsRepEntry[];
  /** ISO 8601. */
  generatedAt: string;
}
