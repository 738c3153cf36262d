import { characterCount, TextFieldRule } from './limits';

/** What the landing page can say before anything is typed. */
export type ServiceAvailability =
  /** Open, a rep is online, the wait is within limits. */
  | 'open'
  /** Outside the opening hours or on a closed date: `opensAt` says when it opens. */
  | 'closed'
  /** An operator paused intake: waiting customers are served, new ones are turned to the callback form. */
  | 'intake_paused'
  /** Open, but no rep is online: a customer may wait (without an estimate) or leave a callback request. */
  | 'no_rep_online'
  /** Open, but a new arrival would be turned away (MAX_QUEUE_LENGTH or MAX_ESTIMATED_WAIT_MS). */
  | 'busy';

/** Why `estimatedWaitMs` is null. */
export type EstimateReason = 'no_rep_online';

export interface Brand {
  name: string;
  /** Hex colour, or null for the pages' own. */
  color: string | null;
  /** A same-origin path or an https URL, or null. */
  logoUrl: string | null;
}

/** One place in the queue: no estimate (null, with the reason) rather than a made-up one. */
export interface WaitEstimate {
  estimatedWaitMs: number | null;
  estimateReason?: EstimateReason;
}

export interface CallbackRequestCreate {
  customerName: string;
  problemText: string;
  /** At least one of phone and email. */
  phone?: string;
  email?: string;
  /**
   * "Leave a callback instead" while waiting: this help session leaves the queue (and ends). Needs the help
   * session's customer token as the bearer token.
   */
  helpSessionId?: string;
}

export interface CallbackRequestCreated {
  id: string;
  /** ISO 8601. */
  requestedAt: string;
  /** The request and its contact data are deleted after this at the latest. ISO 8601. */
  deleteBy: string;
}

export interface CallbackSummary {
  id: string;
  customerName: string;
  problemText: string;
  /** ISO 8601. */
  requestedAt: string;
}

/** A request a rep claimed: only now the contact data. */
export interface ClaimedCallback extends CallbackSummary {
  phone?: string;
  email?: string;
}

/** `GET /api/callbacks` (rep): open requests oldest first, and those this rep claimed and has not closed. */
export interface CallbackListResponse {
  open: CallbackSummary[];
  claimedByYou: ClaimedCallback[];
}

export const CALLBACK_OUTCOMES = ['done', 'not_reached'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

export interface CallbackOutcomeRequest {
  outcome: CallbackOutcome;
}

/** Counts for operators (ops and metrics). `done`/`notReached` since the counters were last reset (30 days at most). */
export interface CallbackFigures {
  open: number;
  claimed: number;
  done: number;
  notReached: number;
}

export const PHONE_MAX = 30;
export const EMAIL_MAX = 254;
export const FEEDBACK_COMMENT_MAX = 500;

export const CALLBACK_FIELDS = {
  phone: { label: 'The phone number', max: PHONE_MAX },
  email: { label: 'The email address', max: EMAIL_MAX },
} as const satisfies Record<string, TextFieldRule>;

/** The message for a phone number, or null when it is fine (digits, spaces, + ( ) - . /; 6 to 15 digits). */
export function phoneError(value: unknown): string | null {
  if (typeof value !== 'string') return `${CALLBACK_FIELDS.phone.label} must be text.`;
  const phone = value.trim();
  const digits = phone.replace(/\D/g, '').length;
  if (characterCount(phone) > PHONE_MAX) return `${CALLBACK_FIELDS.phone.label} must be at most ${PHONE_MAX} characters.`;
  if (!/^\+?[0-9 ()./-]+$/.test(phone) || digits < 6 || digits > 15) {
    return `${CALLBACK_FIELDS.phone.label} must be digits (6 to 15, with an optional leading +), for example +49 30 1234567.`;
  }
  return null;
}

/** The message for an email address, or null when it is fine (one @, a dot in the domain, no spaces). */
export function emailError(value: unknown): string | null {
  if (typeof value !== 'string') return `${CALLBACK_FIELDS.email.label} must be text.`;
  const email = value.trim();
  if (characterCount(email) > EMAIL_MAX) return `${CALLBACK_FIELDS.email.label} must be at most ${EMAIL_MAX} characters.`;
  if (!/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>".]+$/.test(email)) {
    return `${CALLBACK_FIELDS.email.label} must look like name@example.com.`;
  }
  return null;
}

export const CALLBACK_CONTACT_MISSING = 'Give a phone number or an email address, so that a representative can reach you.';

export interface FeedbackRequest {
  helpSessionId: string;
  /** 1 (bad) to 5 (very good). */
  rating: number;
  comment?: string;
}

export const FEEDBACK_RATING_MESSAGE = 'The rating must be a whole number from 1 to 5.';
export const FEEDBACK_COMMENT_MESSAGE = `The comment must be text of at most ${FEEDBACK_COMMENT_MAX} characters.`;

/** `GET /api/ops/feedback` (operator): per day in the service's time zone, newest first. */
export interface FeedbackDay {
  /** YYYY-MM-DD. */
  date: string;
  count: number;
  /** null when nobody rated that day. */
  mean: number | null;
  /** Ratings 1 to 5: how many of each. */
  histogram: [number, number, number, number, number];
  /** Only with `?comments=1`: free text, kept FEEDBACK_COMMENT_RETENTION_DAYS. */
  comments?: { rating: number; comment: string }[];
}

export interface OpsFeedbackResponse {
  days: FeedbackDay[];
  /** Comments are deleted after this many days (they may be personal data). */
  commentRetentionDays: number;
}

/** `GET /api/ops/intake`, `POST /api/ops/intake/pause|resume` (operator). */
export interface IntakeStateResponse {
  paused: boolean;
  /** ISO 8601; null when not paused. The pause ends by itself then. */
  pausedUntil: string | null;
  /** Within the opening hours now. */
  withinOpeningHours: boolean;
  /** ISO 8601: the next opening, when closed now; null when open or always open. */
  opensAt: string | null;
}

export interface PauseIntakeRequest {
  /** How long the pause lasts at most (default and maximum 12 h); resume ends it earlier. */
  minutes?: number;
}

export const PAUSE_MAX_MINUTES = 12 * 60;
