import { computed, inject, Injectable, OnDestroy, signal } from '@angular/core';
import type { CreateHelpSessionResponse } from '@servicekit/contracts';
import { type CallEndReason, CustomerCallSession, type CustomerMatch, type CallSessionState } from '@servicekit/web/call-session';
import { ApiFailure, ServiceKitApi } from '@servicekit/web/data-access';
import { LocalMedia, toVideoCallFailure } from '@servicekit/web/video-call';

export type HelpStep = 'form' | 'devices' | 'joining' | 'waiting' | 'reserved' | 'in-call' | 'ended';

/** The help session this tab created; kept in sessionStorage so that a reload picks it up again. */
interface StoredSession {
  id: string;
  customerToken: string;
}

const STORAGE_KEY = 'sk.help';

/** Why the customer's request ended, in words. No-show and interrupted end a rep's call, never a customer's. */
export const END_MESSAGES: Readonly<Record<Exclude<CallEndReason, 'no-show' | 'interrupted'>, string>> = {
  'customer-ended': 'You ended the call. Thank you for contacting us.',
  'rep-ended': 'The representative ended the call. Thank you for contacting us.',
  'customer-left': 'You left, so your request has ended.',
  'rep-left': 'The representative’s connection was lost, so the call has ended.',
  cancelled: 'You left the queue. Your request has been cancelled.',
  refused: 'Your earlier request has ended. You can ask again.',
};

/**
 * The customer's help session from form to call, as signals. The form and the camera are this page's; from
 * the queue on, the server is the source of truth: what the presence socket pushes drives the call session
 * (`CustomerCallSession`), so a reload picks up exactly where the customer was.
 */
@Injectable()
export class HelpStore implements OnDestroy {
  private readonly api = inject(ServiceKitApi);
  private readonly media = inject(LocalMedia);
  private readonly callSession = inject(CustomerCallSession);

  private readonly request = signal<StoredSession | null>(null);
  readonly fieldErrors = signal<Record<string, string>>({});
  readonly error = signal<string | null>(null);
  readonly busy = signal(false);
  readonly preview = signal<MediaStream | null>(null);
  readonly deviceError = signal<string | null>(null);

  readonly step = computed<HelpStep>(() => {
    const state = this.callSession.state();
    switch (state.kind) {
      case 'offline':
        return this.request() ? 'devices' : 'form';
      case 'connecting':
        return 'joining';
      case 'idle':
        // Not queued yet: joining, or back after a reload from before the camera worked.
        return this.preview() ? 'joining' : 'devices';
      default:
        return state.kind;
    }
  });
  readonly position = computed(() => waitingPlace(this.callSession.state())?.position ?? null);
  readonly estimatedWaitMs = computed(() => waitingPlace(this.callSession.state())?.estimatedWaitMs ?? null);
  readonly repName = computed(() => this.callSession.match()?.repName ?? '');
  readonly endMessage = computed(() => {
    const state = this.callSession.state();
    if (state.kind !== 'ended') return '';
    return state.reason === 'no-show' || state.reason === 'interrupted' ? END_MESSAGES['rep-left'] : END_MESSAGES[state.reason];
  });
  readonly remoteStream = this.callSession.remoteStream;
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
    this.media.release(this.preview());
  }

  /** The form: creates the help session; then camera and microphone. */
  async submit(customerName: string, problemText: string): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.fieldErrors.set({});
    try {
      const created: CreateHelpSessionResponse = await this.api.createHelpSession(customerName, problemText);
      const request = { id: created.id, customerToken: created.customerToken };
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(request));
      this.request.set(request);
      await this.startCamera();
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy.set(false);
    }
  }

  /** Camera and microphone with a preview; no queue place is taken before they work. */
  async startCamera(): Promise<void> {
    this.deviceError.set(null);
    try {
      await this.ensurePreview();
      const kind = this.callSession.state().kind;
      if (kind === 'offline' || kind === 'idle') await this.joinQueue();
    } catch (error) {
      this.deviceError.set(toVideoCallFailure(error).message);
    }
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

  /** Back to an empty form for a new request. */
  askAgain(): void {
    this.forget();
    this.error.set(null);
    void this.callSession.reset();
  }

  private async joinQueue(): Promise<void> {
    const request = this.request();
    if (!request) return;
    this.open(request);
    this.callSession.enqueued(await this.api.enqueue(request.id, request.customerToken));
  }

  private resume(request: StoredSession): void {
    this.request.set(request);
    this.open(request);
  }

  private open(request: StoredSession): void {
    this.callSession.open(request.customerToken, {
      localStream: () => this.ensurePreview(),
      entered: (state) => this.entered(state),
    });
  }

  private entered(state: CallSessionState<CustomerMatch>): void {
    if (state.kind === 'ended') this.forget();
    // Back after a reload: the preview again, and a queue place if there is none yet.
    else if ((state.kind === 'idle' || state.kind === 'waiting') && !this.preview()) void this.startCamera();
  }

  private async ensurePreview(): Promise<MediaStream> {
    const preview = this.preview() ?? (await this.media.acquire());
    this.preview.set(preview);
    return preview;
  }

  private forget(): void {
    sessionStorage.removeItem(STORAGE_KEY);
    this.request.set(null);
    void this.callSession.close();
    this.media.release(this.preview());
    this.preview.set(null);
    this.deviceError.set(null);
  }

  private fail(error: unknown): void {
    if (error instanceof ApiFailure) {
      this.fieldErrors.set(error.details);
      this.error.set(Object.keys(error.details).length > 0 ? null : error.message);
    } else {
      this.error.set('Something went wrong. Please try again.');
    }
  }
}

function waitingPlace(state: CallSessionState): { position: number; estimatedWaitMs: number | null } | null {
  return state.kind === 'waiting' ? state : null;
}
