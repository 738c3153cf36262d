import { computed, inject, Injectable, OnDestroy, signal } from '@angular/core';
import {
  type CallbackRequestCreated,
  type CreateHelpSessionResponse,
  EXACT_POSITIONS_UP_TO,
  type IceConfiguration,
  shownPosition,
} from '@servicekit/contracts';
import { type CallEndReason, CustomerCallSession, type CustomerMatch, type CallSessionState } from '@servicekit/web/call-session';
import type { ChatContext } from '@servicekit/web/chat';
import { ApiFailure, ServiceKitApi } from '@servicekit/web/data-access';
import { type DeviceKind, PreCallCheck } from '@servicekit/web/video-call';
import type { CallbackFields } from '../callback/callback-form.component';
import { ERROR_TEXTS, errorText } from '../error-text';

/** check: camera, microphone and connection, before a queue place is taken. */
export type HelpStep =
  | 'form'
  | 'check'
  | 'joining'
  | 'waiting'
  | 'reserved'
  | 'in-call'
  | 'reconnecting'
  | 'ended'
  /** The callback form, instead of (or after giving up) a queue place; then its confirmation. */
  | 'callback'
  | 'callback-sent';

/**
 * The refusals of a queue place (409 with these codes) that turn the customer to the callback form, in the
 * page's own words (the server's sentence names the opening as a UTC instant; the page says it in the
 * customer's time zone).
 */
export const REFUSAL_TEXTS: Readonly<Record<string, string>> = {
  closed: ERROR_TEXTS.closed ?? '',
  intake_paused: ERROR_TEXTS.intake_paused ?? '',
  queue_full: ERROR_TEXTS.queue_full ?? '',
  wait_too_long: ERROR_TEXTS.wait_too_long ?? '',
};

/** Why the callback form is shown: a refused place (with the next opening when closed); `fromQueue` when the customer gave one up. */
export interface CallbackOffer {
  readonly reason: string | null;
  /** ISO 8601, when closed. */
  readonly opensAt: string | null;
  readonly fromQueue: boolean;
}

export type FeedbackState = 'open' | 'sending' | 'sent' | 'skipped';

/**
 * The help session this tab created; kept in sessionStorage so that a reload picks it up again. `ice`: the
 * servers for the pre-call check (short-lived TURN credentials, nothing personal).
 */
interface StoredSession {
  id: string;
  customerToken: string;
  ice?: IceConfiguration;
}

const STORAGE_KEY = 'sk.help';

/** Why the customer's request ended, in words. No-show and interrupted end a rep's call, never a customer's. */
export const END_MESSAGES: Readonly<Record<Exclude<CallEndReason, 'no-show' | 'interrupted'>, string>> = {
  'customer-ended': $localize`:@@end.customerEnded:You ended the call. Thank you for contacting us.`,
  'rep-ended': $localize`:@@end.repEnded:The representative ended the call. Thank you for contacting us.`,
  'customer-left': $localize`:@@end.customerLeft:You left, so your request has ended.`,
  'rep-left': $localize`:@@end.repLeft:The representative’s connection was lost, so the call has ended.`,
  cancelled: $localize`:@@end.cancelled:You left the queue. Your request has been cancelled.`,
  'rejoin-timeout': $localize`:@@end.rejoinTimeout:The connection could not be restored in time, so the call has ended. You can ask again.`,
  refused: $localize`:@@end.refused:Your earlier request has ended. You can ask again.`,
};

/** What the tab title says during and after a call (before the brand's title). */
export const TITLE_TEXTS = {
  inCall: (repName: string) =>
    repName ? $localize`:@@title.inCallWith:In a call with ${repName}:repName:` : $localize`:@@title.inCall:In a call`,
  ended: $localize`:@@title.ended:Call ended`,
} as const;

/**
 * The customer's help session from form to call, as signals. The form and the pre-call check (camera,
 * microphone, connection) are this page's; from the queue on, the server is the source of truth: what the
 * presence socket pushes drives the call session (`CustomerCallSession`), so a reload picks up exactly where
 * the customer was.
 */
@Injectable()
export class HelpStore implements OnDestroy {
  private readonly api = inject(ServiceKitApi);
  private readonly check = inject(PreCallCheck);
  private readonly callSession = inject(CustomerCallSession);

  private readonly request = signal<StoredSession | null>(null);
  readonly fieldErrors = signal<Record<string, string>>({});
  readonly error = signal<string | null>(null);
  readonly busy = signal(false);
  /** The camera: the preview, and what the call publishes. */
  readonly preview = this.check.stream;
  /** Why camera or microphone could not be had, in words. */
  readonly deviceError = this.check.mediaError;
  readonly cameras = this.check.cameras;
  readonly microphones = this.check.microphones;
  readonly camera = this.check.camera;
  readonly microphone = this.check.microphone;
  /** Pass, Warn or Fail of the pre-call check, and what to do. */
  readonly checkOutcome = this.check.outcome;
  readonly checkMessage = this.check.message;
  /** This browser or page cannot have camera and microphone at all: why, and what to do instead. */
  readonly unsupported = this.check.support.ok ? null : this.check.support.message;

  /** The callback form is up (refused, or chosen); and the request once sent. */
  readonly callbackOffer = signal<CallbackOffer | null>(null);
  readonly callbackSent = signal<CallbackRequestCreated | null>(null);
  /** The help session of the call that ended, kept in this page only, for its rating. */
  private readonly lastCall = signal<StoredSession | null>(null);
  private readonly feedbackStatus = signal<FeedbackState>('open');
  /** Whether the rating is asked for, being sent, or done: only after a call with a rep. */
  readonly feedback = computed<FeedbackState | null>(() => (this.lastCall() ? this.feedbackStatus() : null));
  readonly feedbackError = signal<string | null>(null);

  readonly step = computed<HelpStep>(() => {
    if (this.callbackSent()) return 'callback-sent';
    // A rep who picks up while the customer fills in the callback form wins: the call comes first.
    if (this.callbackOffer() && !this.callSession.match()) return 'callback';
    const state = this.callSession.state();
    switch (state.kind) {
      case 'offline':
        return this.request() ? 'check' : 'form';
      case 'connecting':
        return 'joining';
      case 'idle':
        // Not queued yet: joining once the check passed, or back after a reload from before it did.
        return this.checkOutcome() === 'pass' || this.checkOutcome() === 'warn' ? 'joining' : 'check';
      default:
        return state.kind;
    }
  });
  /** Back in the queue because a match came to nothing (the call could not be connected). */
  readonly handedBack = computed(() => {
    const state = this.callSession.state();
    return state.kind === 'waiting' && state.handedBack;
  });
  /** Why the call is reconnecting, in words; empty otherwise. */
  readonly reconnectingText = computed(() => {
    const state = this.callSession.state();
    if (state.kind !== 'reconnecting') return '';
    const repName = state.match.repName;
    return state.lost === 'media'
      ? $localize`:@@call.reconnectingVideo:Reconnecting the video…`
      : $localize`:@@call.repDropped:${repName}:repName:’s connection dropped. Reconnecting…`;
  });
  readonly position = computed(() => waitingPlace(this.callSession.state())?.position ?? null);
  /** The place as shown: exact up to 100, then rounded (the server pushes only changes of this). */
  readonly shownPosition = computed(() => {
    const position = this.position();
    return position === null ? null : shownPosition(position);
  });
  readonly positionIsApproximate = computed(() => (this.position() ?? 0) > EXACT_POSITIONS_UP_TO);
  readonly estimatedWaitMs = computed(() => waitingPlace(this.callSession.state())?.estimatedWaitMs ?? null);
  readonly repName = computed(() => this.callSession.match()?.repName ?? '');
  readonly matchId = computed(() => this.callSession.match()?.matchId ?? null);
  /** The call's chat (libs/web/chat), once a rep has the customer. */
  readonly chat = computed<ChatContext | null>(() => {
    const request = this.request();
    const presence = this.callSession.socket();
    if (!request || !presence || !this.callSession.match()) return null;
    return { helpSessionId: request.id, token: request.customerToken, presence, self: 'customer', partnerName: this.repName() };
  });
  readonly endMessage = computed(() => {
    const state = this.callSession.state();
    if (state.kind !== 'ended') return '';
    return state.reason === 'no-show' || state.reason === 'interrupted' ? END_MESSAGES['rep-left'] : END_MESSAGES[state.reason];
  });
  readonly remoteStream = this.callSession.remoteStream;
  /** The video call of the current match (its statistics feed the connection indicator). */
  readonly call = this.callSession.call;
  readonly muted = this.callSession.muted;
  readonly cameraOff = this.callSession.cameraOff;
  /** Why the call could not be joined or broke down (or the camera failed), in words. */
  readonly callError = computed(() => this.callSession.callError() ?? this.deviceError());

  constructor() {
    const stored = sessionStorage.getItem(STORAGE_KEY);
    if (stored) this.resume(JSON.parse(stored) as StoredSession);
  }

  ngOnDestroy(): void {
    void this.callSession.close();
    this.check.release();
  }

  /** The form: creates the help session (with the host site's context token, if any); then the pre-call check. */
  async submit(customerName: string, problemText: string, context?: string): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.fieldErrors.set({});
    try {
      const created: CreateHelpSessionResponse = await this.api.createHelpSession(customerName, problemText, ...(context ? [context] : []));
      if (created.context === 'ignored') console.warn('Service Kit: the server ignored the context token (expired or not valid).');
      const { iceServers, iceTransportPolicy } = created.video;
      const ice = iceServers && iceTransportPolicy ? { iceServers, iceTransportPolicy } : undefined;
      const request: StoredSession = { id: created.id, customerToken: created.customerToken, ice };
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(request));
      this.request.set(request);
      await this.runCheck();
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy.set(false);
    }
  }

  /**
   * Camera, microphone and the connection with the call's own ICE servers; the queue place is taken only
   * on Pass or Warn. A Fail says what to do and takes no place.
   */
  async runCheck(): Promise<void> {
    const outcome = await this.check.run(this.request()?.ice);
    const kind = this.callSession.state().kind;
    if (outcome !== 'fail' && (kind === 'offline' || kind === 'idle')) await this.joinQueue();
  }

  /** Another camera or microphone, remembered for next time; the preview and the call use it. */
  chooseDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    return this.check.choose(kind, deviceId);
  }

  async cancel(): Promise<void> {
    const request = this.request();
    if (!request) return;
    this.busy.set(true);
    try {
      await this.api.cancel(request.id, request.customerToken);
      this.callSession.end('cancelled');
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy.set(false);
    }
  }

  async end(): Promise<void> {
    const request = this.request();
    if (!request) return;
    this.busy.set(true);
    try {
      await this.api.end(request.id, request.customerToken);
      this.callSession.end('customer-ended');
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy.set(false);
    }
  }

  setMuted(muted: boolean): void {
    this.callSession.setMuted(muted);
  }

  setCameraOff(off: boolean): void {
    this.callSession.setCameraOff(off);
  }

  /** Back to the form for a new request (the page keeps what was typed). */
  askAgain(): void {
    this.forget();
    this.error.set(null);
    this.callbackOffer.set(null);
    this.callbackSent.set(null);
    this.lastCall.set(null);
    this.feedbackStatus.set('open');
    this.feedbackError.set(null);
    void this.callSession.reset();
  }

  /** "Leave a callback request instead", while waiting (the place is given up only when the request is sent). */
  offerCallback(): void {
    this.error.set(null);
    this.fieldErrors.set({});
    this.callbackOffer.set({ reason: null, opensAt: null, fromQueue: true });
  }

  /** Back from the callback form to the queue place, which was kept. */
  backToQueue(): void {
    this.callbackOffer.set(null);
  }

  /**
   * Sends the callback request; with a help session of this page, the server ends it (and its queue place)
   * with the customer token, so nobody is called twice.
   */
  async sendCallback(fields: CallbackFields): Promise<void> {
    const request = this.request();
    this.busy.set(true);
    this.error.set(null);
    this.fieldErrors.set({});
    try {
      const created = await this.api.createCallback(
        request ? { ...fields, helpSessionId: request.id } : fields,
        ...(request ? [request.customerToken] : []),
      );
      this.callbackSent.set(created);
      this.callbackOffer.set(null);
      if (request) this.forget();
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy.set(false);
    }
  }

  /** The customer's rating of the call that just ended (1–5, an optional comment); once. */
  async rate(rating: number, comment: string): Promise<void> {
    const call = this.lastCall();
    if (!call || this.feedbackStatus() !== 'open') return;
    this.feedbackStatus.set('sending');
    this.feedbackError.set(null);
    const text = comment.trim();
    try {
      await this.api.sendFeedback({ helpSessionId: call.id, rating, ...(text ? { comment: text } : {}) }, call.customerToken);
      this.feedbackStatus.set('sent');
    } catch (error) {
      // Rated already (another tab) counts as done; anything else can be tried again.
      if (error instanceof ApiFailure && error.code === 'already_rated') this.feedbackStatus.set('sent');
      else {
        this.feedbackStatus.set('open');
        this.feedbackError.set(errorText(error));
      }
    }
  }

  skipFeedback(): void {
    this.feedbackStatus.set('skipped');
  }

  private async joinQueue(): Promise<void> {
    const request = this.request();
    if (!request) return;
    this.open(request);
    try {
      this.callSession.enqueued(await this.api.enqueue(request.id, request.customerToken));
    } catch (error) {
      // Closed, paused or too busy: the callback form instead, saying why.
      const reason = error instanceof ApiFailure ? REFUSAL_TEXTS[error.code] : undefined;
      if (reason === undefined) this.fail(error);
      else {
        this.callbackOffer.set({ reason, opensAt: null, fromQueue: false });
        if (error instanceof ApiFailure && error.code === 'closed') await this.addOpening();
      }
    }
  }

  /** When closed: the next opening, from the status (best effort; the form works without it). */
  private async addOpening(): Promise<void> {
    try {
      const { opensAt } = await this.api.status();
      this.callbackOffer.update((offer) => (offer && !offer.fromQueue ? { ...offer, opensAt } : offer));
    } catch {
      // Without it the sentence still says what to do.
    }
  }

  private resume(request: StoredSession): void {
    this.request.set(request);
    this.open(request);
  }

  private open(request: StoredSession): void {
    this.callSession.open(request.customerToken, {
      localStream: () => this.check.streamForCall(),
      entered: (state) => this.entered(state),
    });
  }

  private entered(state: CallSessionState<CustomerMatch>): void {
    if (state.kind === 'ended') {
      // A call with a rep may be rated afterwards; the token stays in this page only.
      if (state.match) this.lastCall.set(this.request());
      this.forget();
    }
    // Back after a reload: the check again (and then a queue place) when none was taken yet, else the camera.
    else if (state.kind === 'idle' && !this.preview()) void this.runCheck();
    else if (state.kind === 'waiting' && !this.preview()) void this.check.startMedia();
  }

  private forget(): void {
    sessionStorage.removeItem(STORAGE_KEY);
    this.request.set(null);
    void this.callSession.close();
    this.check.release();
  }

  private fail(error: unknown): void {
    if (error instanceof ApiFailure) {
      this.fieldErrors.set(error.details);
      this.error.set(Object.keys(error.details).length > 0 ? null : errorText(error));
    } else {
      this.error.set(errorText(error));
    }
  }
}

function waitingPlace(state: CallSessionState): { position: number; estimatedWaitMs: number | null } | null {
  return state.kind === 'waiting' ? state : null;
}
