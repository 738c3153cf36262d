import { computed, effect, inject, Injectable, OnDestroy, signal, untracked } from '@angular/core';
import { ApiFailure, PresenceConnection, ServiceKitApi } from '@servicekit/web/data-access';
import { LocalMedia, toVideoCallFailure, VideoCall, VideoCallFactory } from '@servicekit/web/video-call';
import type { CreateHelpSessionResponse, CustomerState, EndReason } from '@servicekit/contracts';

export type HelpStep = 'form' | 'devices' | 'joining' | 'waiting' | 'reserved' | 'in-call' | 'ended';

interface StoredSession {
  id: string;
  customerToken: string;
}

const STORAGE_KEY = 'sk.help';

const END_MESSAGES: Record<EndReason, string> = {
  'customer-ended': 'You ended the call. Thank you for contacting us.',
  'rep-ended': 'The representative ended the call. Thank you for contacting us.',
  'customer-left': 'You left, so your request has ended.',
  'rep-left': 'The representative’s connection was lost, so the call has ended.',
  cancelled: 'You left the queue. Your request has been cancelled.',
};

/**
 * The customer's help session from form to call, as signals. The server is the source of truth: the
 * presence socket's state drives the step, so a reload picks up exactly where the customer was.
 */
@Injectable()
export class HelpStore implements OnDestroy {
  private readonly api = inject(ServiceKitApi);
  private readonly media = inject(LocalMedia);
  private readonly calls = inject(VideoCallFactory);

  readonly step = signal<HelpStep>('form');
  readonly fieldErrors = signal<Record<string, string>>({});
  readonly error = signal<string | null>(null);
  readonly busy = signal(false);
  readonly preview = signal<MediaStream | null>(null);
  readonly deviceError = signal<string | null>(null);
  readonly endMessage = signal<string>('');
  readonly repName = signal<string>('');
  readonly position = signal<number | null>(null);
  readonly estimatedWaitMs = signal<number | null>(null);
  readonly call = signal<VideoCall | null>(null);
  readonly remoteStream = computed(() => this.call()?.remoteStream() ?? null);
  readonly muted = computed(() => this.call()?.muted() ?? false);
  readonly cameraOff = computed(() => this.call()?.cameraOff() ?? false);

  private session: StoredSession | null = null;
  /** The presence socket while a help session exists; its state drives the page. */
  private readonly presence = signal<PresenceConnection | null>(null);
  private joinedMatch: string | null = null;
  private confirmedMatch: string | null = null;

  constructor() {
    // Media of this match is up once the rep's stream arrives: report it (two-phase match).
    effect(() => {
      const remote = this.remoteStream();
      const matchId = untracked(() => this.joinedMatch);
      const presence = untracked(() => this.presence());
      if (remote && matchId && matchId !== this.confirmedMatch && presence) {
        this.confirmedMatch = matchId;
        void presence.mediaConnected(matchId);
      }
    });
    // Every state the server pushes moves the page.
    effect(() => {
      const state = this.presence()?.customerState();
      if (state) untracked(() => void this.apply(state));
    });
    // A refused connection means the help session is over (or unknown): start afresh.
    effect(() => {
      if (this.presence()?.refused()) {
        untracked(() => void this.finish('customer-left', 'Your earlier request has ended. You can ask again.'));
      }
    });
    const stored = sessionStorage.getItem(STORAGE_KEY);
    if (stored) void this.resume(JSON.parse(stored) as StoredSession);
  }

  ngOnDestroy(): void {
    void this.call()?.leave();
    this.presence()?.close();
    this.media.release(this.preview());
  }

  /** The form: creates the help session; then camera and microphone. */
  async submit(customerName: string, problemText: string): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.fieldErrors.set({});
    try {
      const created: CreateHelpSessionResponse = await this.api.createHelpSession(customerName, problemText);
      this.session = { id: created.id, customerToken: created.customerToken };
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(this.session));
      this.step.set('devices');
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
      if (!this.preview()) this.preview.set(await this.media.acquire());
      if (this.step() === 'devices') await this.joinQueue();
    } catch (error) {
      this.deviceError.set(toVideoCallFailure(error).message);
    }
  }

  async cancel(): Promise<void> {
    if (!this.session) return;
    this.busy.set(true);
    try {
      await this.api.cancel(this.session.id, this.session.customerToken);
      await this.finish('cancelled');
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy.set(false);
    }
  }

  async end(): Promise<void> {
    if (!this.session) return;
    this.busy.set(true);
    try {
      await this.api.end(this.session.id, this.session.customerToken);
      await this.finish('customer-ended');
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy.set(false);
    }
  }

  setMuted(muted: boolean): void {
    this.call()?.setMuted(muted);
  }

  setCameraOff(off: boolean): void {
    this.call()?.setCameraOff(off);
  }

  /** Back to an empty form for a new request. */
  askAgain(): void {
    this.forget();
    this.error.set(null);
    this.step.set('form');
  }

  private async joinQueue(): Promise<void> {
    if (!this.session) return;
    this.step.set('joining');
    this.connectPresence();
    const place = await this.api.enqueue(this.session.id, this.session.customerToken);
    if (this.step() === 'joining') {
      this.position.set(place.position);
      this.estimatedWaitMs.set(place.estimatedWaitMs);
      this.step.set('waiting');
    }
  }

  private async resume(session: StoredSession): Promise<void> {
    this.session = session;
    this.step.set('joining');
    this.connectPresence();
  }

  private connectPresence(): void {
    if (!this.session || this.presence()) return;
    this.presence.set(new PresenceConnection('', this.session.customerToken));
  }

  private async apply(state: CustomerState): Promise<void> {
    switch (state.state) {
      case 'idle':
        if (this.step() === 'joining' && !this.preview()) this.step.set('devices');
        return;
      case 'waiting':
        await this.leaveCall();
        this.position.set(state.position);
        this.estimatedWaitMs.set(state.estimatedWaitMs);
        this.step.set('waiting');
        if (!this.preview()) await this.startCamera();
        return;
      case 'reserved':
      case 'in-call':
        this.repName.set(state.repName);
        this.step.set(state.state);
        if (this.joinedMatch !== state.matchId) await this.joinCall(state.matchId, state.video);
        return;
      case 'ended':
        await this.finish(state.reason);
        return;
    }
  }

  private async joinCall(matchId: string, video: Parameters<VideoCall['join']>[0]): Promise<void> {
    await this.leaveCall();
    this.joinedMatch = matchId;
    try {
      if (!this.preview()) this.preview.set(await this.media.acquire());
      const call = this.calls.create(video.provider);
      this.call.set(call);
      await call.join(video, { role: 'customer', signaling: this.presence() ?? undefined, localStream: this.preview() ?? undefined });
    } catch (error) {
      this.deviceError.set(toVideoCallFailure(error).message);
    }
  }

  private async leaveCall(): Promise<void> {
    const call = this.call();
    this.call.set(null);
    this.joinedMatch = null;
    if (call) await call.leave();
  }

  private async finish(reason: EndReason, message?: string): Promise<void> {
    await this.leaveCall();
    this.endMessage.set(message ?? END_MESSAGES[reason]);
    this.step.set('ended');
    this.forget();
  }

  private forget(): void {
    sessionStorage.removeItem(STORAGE_KEY);
    this.session = null;
    this.presence()?.close();
    this.presence.set(null);
    this.media.release(this.preview());
    this.preview.set(null);
    this.position.set(null);
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
