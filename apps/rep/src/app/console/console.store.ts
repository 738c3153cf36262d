import { computed, effect, inject, Injectable, OnDestroy, signal, untracked } from '@angular/core';
import { Router } from '@angular/router';
import { CLAIM_WAIT_MAX_MS, type ClaimNextResponse, type EndReason, type RepState } from '@servicekit/contracts';
import { ApiFailure, ServiceKitApi } from '@servicekit/web/data-access';
import { LocalMedia, toVideoCallFailure, VideoCall, VideoCallFactory } from '@servicekit/web/video-call';
import type { Subscription } from 'rxjs';
import { RepSessionStore, SESSION_EXPIRED_NOTICE } from '../rep-session.store';
import { CONSOLE_CONFIG } from './console.config';
import { REP_PRESENCE, RepPresence } from './rep-presence.token';

/** devices: camera check · ready: may take the next customer · waiting: long-polling · call: with a customer. */
export type ConsoleStep = 'devices' | 'ready' | 'waiting' | 'call';

export const END_NOTICES: Readonly<Record<EndReason, string>> = {
  'rep-ended': 'Call ended.',
  'customer-ended': 'The customer ended the call.',
  'customer-left': 'The customer left.',
  'rep-left': 'The call ended because your connection was lost.',
  cancelled: 'The customer cancelled the request.',
};

export function noShowNotice(noShowMs: number): string {
  const seconds = Math.max(1, Math.round(noShowMs / 1000));
  return `The customer did not join within ${seconds} seconds and has been put back at the front of the queue.`;
}

export const INTERRUPTED_NOTICE = 'The call was interrupted because your connection was lost. The customer has been put back in the queue.';
export const STALE_CALL_NOTICE = 'Your earlier call was ended because this page was reloaded.';
export const SIGNED_OUT_NOTICE = 'You have signed out.';

/**
 * The rep's console as signals: the camera check, waiting for the next customer (long-poll), the call,
 * and what the presence socket says about it (no-show, the customer ending or leaving). The camera
 * stream is acquired once and handed to every call; only sign-out releases it.
 */
@Injectable()
export class ConsoleStore implements OnDestroy {
  private readonly api = inject(ServiceKitApi);
  private readonly media = inject(LocalMedia);
  private readonly calls = inject(VideoCallFactory);
  private readonly openPresence = inject(REP_PRESENCE);
  private readonly config = inject(CONSOLE_CONFIG);
  private readonly session = inject(RepSessionStore);
  private readonly router = inject(Router);

  readonly step = signal<ConsoleStep>('devices');
  readonly localStream = signal<MediaStream | null>(null);
  readonly checkingDevices = signal(false);
  readonly deviceError = signal<string | null>(null);
  readonly claim = signal<ClaimNextResponse | null>(null);
  readonly call = signal<VideoCall | null>(null);
  /** What happened to the last call (ended, no-show), for the rep to read. */
  readonly notice = signal<string | null>(null);
  /** Something went wrong (network, server, video), in words. */
  readonly error = signal<string | null>(null);
  readonly autoNext = signal(false);
  readonly ending = signal(false);
  readonly repName = this.session.name;

  private readonly presence = signal<RepPresence | null>(null);
  readonly waiting = computed(() => this.presence()?.waiting() ?? null);
  readonly connected = computed(() => this.presence()?.connected() ?? false);
  readonly remoteStream = computed(() => this.call()?.remoteStream() ?? null);
  readonly muted = computed(() => this.call()?.muted() ?? false);
  readonly cameraOff = computed(() => this.call()?.cameraOff() ?? false);

  private waitController: AbortController | null = null;
  private callErrors: Subscription | null = null;
  private confirmedMatch: string | null = null;
  /** The server has told this socket about the current match, so a later 'available' means it is gone. */
  private matchAcknowledged = false;
  private readonly staleEnded = new Set<string>();
  private closed = false;

  constructor() {
    // The customer's media has arrived: report this side as connected (the two-phase match).
    effect(() => {
      const remote = this.remoteStream();
      const claim = untracked(this.claim);
      const presence = untracked(this.presence);
      if (remote && claim && presence && this.confirmedMatch !== claim.matchId) {
        this.confirmedMatch = claim.matchId;
        void presence.mediaConnected(claim.matchId);
      }
    });
    effect(() => {
      const state = this.presence()?.repState() ?? null;
      if (state) untracked(() => void this.applyRepState(state));
    });
    // The server refuses the socket when the rep token is no longer valid.
    effect(() => {
      if (this.presence()?.refused()) untracked(() => void this.expire());
    });
  }

  ngOnDestroy(): void {
    void this.leaveEverything();
  }

  /** Camera and microphone, with a preview; on failure a message saying what to do. */
  async checkDevices(): Promise<void> {
    if (this.checkingDevices() || this.localStream()) return;
    this.checkingDevices.set(true);
    this.deviceError.set(null);
    try {
      const stream = await this.media.acquire();
      if (this.closed) this.media.release(stream);
      else this.localStream.set(stream);
    } catch (error) {
      this.deviceError.set(toVideoCallFailure(error).message);
    } finally {
      this.checkingDevices.set(false);
    }
  }

  /** Devices work: go online (presence) and get ready for customers. */
  start(): void {
    if (this.step() !== 'devices' || !this.localStream()) return;
    const session = this.session.current();
    if (!session) {
      void this.expire();
      return;
    }
    if (!this.presence()) this.presence.set(this.openPresence(session.token));
    this.step.set('ready');
  }

  /** Takes the first waiting customer, waiting (long-poll, one request at a time) until one arrives. */
  async next(): Promise<void> {
    if (this.step() !== 'ready') return;
    const session = this.session.current();
    if (!session) return this.expire();
    const controller = new AbortController();
    this.waitController = controller;
    this.error.set(null);
    this.step.set('waiting');
    try {
      for (;;) {
        const started = Date.now();
        const claim = await this.api.claimNext(session.token, CLAIM_WAIT_MAX_MS, controller.signal);
        if (controller.signal.aborted) return;
        if (claim) {
          await this.startCall(claim);
          return;
        }
        await pause(this.config.minClaimIntervalMs - (Date.now() - started), controller.signal);
        if (controller.signal.aborted) return;
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      this.step.set('ready');
      await this.failed(error);
    } finally {
      if (this.waitController === controller) this.waitController = null;
    }
  }

  stopWaiting(): void {
    if (this.step() !== 'waiting') return;
    this.waitController?.abort();
    this.waitController = null;
    this.step.set('ready');
  }

  /** Ends the help session for both sides; the camera stays on for the next call. */
  async endCall(): Promise<void> {
    const claim = this.claim();
    if (!claim || this.ending()) return;
    const session = this.session.current();
    if (!session) return this.expire();
    this.ending.set(true);
    try {
      await this.api.end(claim.helpSession.id, session.token);
    } catch (error) {
      // 404: the help session is gone already, so the call is over anyway.
      if (!(error instanceof ApiFailure && error.status === 404)) {
        await this.failed(error);
        return;
      }
    } finally {
      this.ending.set(false);
    }
    if (this.claim() === claim) await this.finishCall(END_NOTICES['rep-ended']);
  }

  setAutoNext(on: boolean): void {
    this.autoNext.set(on);
  }

  setMuted(muted: boolean): void {
    this.call()?.setMuted(muted);
  }

  setCameraOff(off: boolean): void {
    this.call()?.setCameraOff(off);
  }

  async signOut(): Promise<void> {
    const claim = this.claim();
    const token = this.session.current()?.token;
    if (claim && token) await this.api.end(claim.helpSession.id, token).catch(() => undefined);
    // Clears the sign-in cookie; the token itself simply expires.
    await this.api.signOut().catch(() => undefined);
    await this.close(SIGNED_OUT_NOTICE);
  }

  private async startCall(claim: ClaimNextResponse): Promise<void> {
    const presence = this.presence();
    this.claim.set(claim);
    this.matchAcknowledged = presence ? matchIdOf(presence.repState()) === claim.matchId : false;
    this.notice.set(null);
    this.error.set(null);
    this.step.set('call');
    // Stray signals of the previous call must not reach this one.
    presence?.clearPendingSignals();
    const call = this.calls.create(claim.video.provider);
    this.call.set(call);
    this.callErrors = call.errors$.subscribe((failure) => this.error.set(failure.message));
    try {
      await call.join(claim.video, { role: 'rep', signaling: presence ?? undefined, localStream: this.localStream() ?? undefined });
    } catch (error) {
      if (this.call() === call) this.error.set(toVideoCallFailure(error).message);
    }
  }

  private async applyRepState(state: RepState): Promise<void> {
    const claim = this.claim();
    switch (state.state) {
      case 'reserved':
        if (claim?.matchId === state.matchId) this.matchAcknowledged = true;
        return;
      case 'in-call':
        if (claim?.matchId === state.matchId) this.matchAcknowledged = true;
        // A call this page knows nothing of (the page was reloaded during it): nobody can see the customer.
        else if (this.step() !== 'waiting') await this.endStale(state.helpSessionId);
        return;
      case 'no-show':
        if (claim?.helpSession.id === state.helpSessionId) await this.finishCall(noShowNotice(claim.noShowMs));
        return;
      case 'ended':
        if (claim?.helpSession.id === state.helpSessionId) await this.finishCall(END_NOTICES[state.reason]);
        return;
      case 'available':
        // The server dropped the match (this side was away too long) and handed the customer back.
        if (claim && this.matchAcknowledged) await this.finishCall(INTERRUPTED_NOTICE);
        return;
    }
  }

  private async finishCall(notice: string): Promise<void> {
    const call = this.call();
    this.callErrors?.unsubscribe();
    this.callErrors = null;
    this.call.set(null);
    this.claim.set(null);
    this.confirmedMatch = null;
    this.matchAcknowledged = false;
    this.error.set(null);
    this.notice.set(notice);
    this.step.set('ready');
    await call?.leave().catch(() => undefined);
    if (this.autoNext() && !this.closed) await this.next();
  }

  private async endStale(helpSessionId: string): Promise<void> {
    const token = this.session.current()?.token;
    if (!token || this.staleEnded.has(helpSessionId)) return;
    this.staleEnded.add(helpSessionId);
    try {
      await this.api.end(helpSessionId, token);
      this.notice.set(STALE_CALL_NOTICE);
    } catch (error) {
      if (!(error instanceof ApiFailure && error.status === 404)) await this.failed(error);
    }
  }

  private async failed(error: unknown): Promise<void> {
    if (error instanceof ApiFailure && error.status === 401) return this.expire();
    this.error.set(error instanceof ApiFailure ? error.message : 'Something went wrong. Please try again.');
  }

  private expire(): Promise<void> {
    return this.close(SESSION_EXPIRED_NOTICE);
  }

  /** Off the console and back to the sign-in page, with a word about why. */
  private async close(notice: string): Promise<void> {
    if (this.closed) return;
    await this.leaveEverything();
    this.session.clear(notice);
    await this.router.navigateByUrl('/');
  }

  private async leaveEverything(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.waitController?.abort();
    this.waitController = null;
    this.callErrors?.unsubscribe();
    this.callErrors = null;
    const call = this.call();
    this.call.set(null);
    this.claim.set(null);
    this.presence()?.close();
    this.presence.set(null);
    this.media.release(this.localStream());
    this.localStream.set(null);
    await call?.leave().catch(() => undefined);
  }
}

function matchIdOf(state: RepState | null): string | null {
  return state && 'matchId' in state ? state.matchId : null;
}

/** Resolves after `ms` (at once when not positive), or as soon as the signal aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
