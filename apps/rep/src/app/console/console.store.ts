import { DOCUMENT } from '@angular/common';
import { computed, inject, Injectable, OnDestroy, signal } from '@angular/core';
import { Router } from '@angular/router';
import { CLAIM_WAIT_MAX_MS, type ClaimNextResponse, type EndReason, REP_SESSION_END_NOTICES } from '@servicekit/contracts';
import { type CallEndReason, type CallSessionState, RepCallSession, type RepMatch } from '@servicekit/web/call-session';
import type { ChatContext } from '@servicekit/web/chat';
import { ApiFailure, ServiceKitApi } from '@servicekit/web/data-access';
import { type DeviceKind, PreCallCheck, VideoCallFailure } from '@servicekit/web/video-call';
import { RepSessionStore, SESSION_EXPIRED_NOTICE } from '../rep-session.store';
import { CONSOLE_CONFIG } from './console.config';

/** devices: the pre-call check · ready: may take the next customer · waiting: long-polling · call: with a customer. */
export type ConsoleStep = 'devices' | 'ready' | 'waiting' | 'call';

export const END_NOTICES: Readonly<Record<EndReason, string>> = {
  'rep-ended': 'Call ended.',
  'customer-ended': 'The customer ended the call.',
  'customer-left': 'The customer left.',
  'rep-left': 'The call ended because your connection was lost.',
  cancelled: 'The customer cancelled the request.',
  'rejoin-timeout': 'The call ended because the connection could not be restored in time.',
};

export function noShowNotice(noShowMs: number): string {
  const seconds = Math.max(1, Math.round(noShowMs / 1000));
  return `The video connection with the customer could not be made within ${seconds} seconds, so they have been put back at the front of the queue.`;
}

export const INTERRUPTED_NOTICE = 'The call was interrupted because your connection was lost. The customer has been put back in the queue.';
export const RESUMED_NOTICE = 'Your call with the customer continues after the page reloaded.';
export const SIGNED_OUT_NOTICE = 'You have signed out.';

/**
 * The rep's console as signals: the pre-call check (camera, microphone, connection), waiting for the next
 * customer (long-poll), and the call session (`RepCallSession`: the presence socket, the call, what the server
 * says about it). The camera stream is acquired once and handed to every call, so the next call starts with it
 * already running; only sign-out releases it. A console that reloads during a call resumes it at once.
 */
@Injectable()
export class ConsoleStore implements OnDestroy {
  private readonly api = inject(ServiceKitApi);
  private readonly check = inject(PreCallCheck);
  private readonly callSession = inject(RepCallSession);
  private readonly config = inject(CONSOLE_CONFIG);
  private readonly session = inject(RepSessionStore);
  private readonly router = inject(Router);
  private readonly document = inject(DOCUMENT);

  readonly localStream = this.check.stream;
  readonly checkingDevices = this.check.checking;
  /** Pass, Warn or Fail of the pre-call check, and what to do. */
  readonly checkOutcome = this.check.outcome;
  readonly checkMessage = this.check.message;
  readonly cameras = this.check.cameras;
  readonly microphones = this.check.microphones;
  readonly camera = this.check.camera;
  readonly microphone = this.check.microphone;
  /** The check failed: what to do, in words. */
  readonly deviceError = computed(() => (this.checkOutcome() === 'fail' ? this.checkMessage() : null));
  /** The long-poll for the next customer while it runs. */
  private readonly claiming = signal<AbortController | null>(null);
  /** What happened to the last call (ended, no-show), for the rep to read. */
  readonly notice = signal<string | null>(null);
  private readonly failure = signal<string | null>(null);
  /** Something went wrong (network, server, video), in words. */
  readonly error = computed(() => this.failure() ?? this.callSession.callError());
  readonly autoNext = signal(false);
  readonly ending = signal(false);
  readonly repName = this.session.name;

  /** The customer of the current call. */
  readonly match = this.callSession.match;
  /** The chat with the customer of the current reservation or call (libs/web/chat). */
  readonly chat = computed<ChatContext | null>(() => {
    const match = this.match();
    const presence = this.callSession.socket();
    const token = this.session.current()?.token ?? null;
    if (!match || !presence) return null;
    return { helpSessionId: match.helpSessionId, token, presence, self: 'rep', partnerName: match.customerName };
  });
  readonly step = computed<ConsoleStep>(() => {
    if (this.callSession.state().kind === 'offline') return 'devices';
    if (this.match()) return 'call';
    return this.claiming() ? 'waiting' : 'ready';
  });
  /** The customer's connection (or the video) is gone for now, in words; the call resumes by itself. */
  readonly reconnecting = computed(() => {
    const state = this.callSession.state();
    if (state.kind !== 'reconnecting') return null;
    return state.lost === 'media' ? 'Reconnecting the video…' : 'The customer’s connection dropped. Reconnecting…';
  });
  readonly waiting = this.callSession.waiting;
  readonly connected = this.callSession.connected;
  readonly remoteStream = this.callSession.remoteStream;
  readonly muted = this.callSession.muted;
  readonly cameraOff = this.callSession.cameraOff;

  /** A resume of the current match is being fetched. */
  private resuming = false;
  private closed = false;

  ngOnDestroy(): void {
    void this.leaveEverything();
  }

  /**
   * First whether a call is going on (this page reloaded during it: it resumes at once), else the pre-call
   * check with the ICE servers for this rep; on failure a message saying what to do.
   */
  async checkDevices(): Promise<void> {
    if (this.checkingDevices() || this.callSession.state().kind !== 'offline') return;
    const session = this.session.current();
    if (!session) return this.expire();
    this.failure.set(null);
    try {
      const current = await this.api.currentClaim(session.token);
      if (current) return await this.resume(current);
      await this.check.run(await this.api.iceServers(session.token));
    } catch (error) {
      await this.failed(error);
    }
  }

  /** Another camera or microphone, remembered for next time. */
  chooseDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    return this.check.choose(kind, deviceId);
  }

  /** The check passed (or warned): go online (presence) and get ready for customers. */
  start(): void {
    if (this.step() !== 'devices' || !this.localStream() || this.checkOutcome() === 'fail') return;
    this.goOnline();
  }

  /** Takes the first waiting customer, waiting (long-poll, one request at a time) until one arrives. */
  async next(): Promise<void> {
    if (this.step() !== 'ready') return;
    const session = this.session.current();
    if (!session) return this.expire();
    const controller = new AbortController();
    this.claiming.set(controller);
    this.failure.set(null);
    try {
      for (;;) {
        const started = Date.now();
        const claim = await this.api.claimNext(session.token, CLAIM_WAIT_MAX_MS, controller.signal).catch((error: unknown) => {
          // Taking the next customer automatically waits through the wrap-up (the bar counts it down).
          if (this.autoNext() && error instanceof ApiFailure && error.code === 'rep_wrap_up') return null;
          throw error;
        });
        if (controller.signal.aborted) return;
        if (claim) {
          this.startCall(claim);
          return;
        }
        await pause(this.config.minClaimIntervalMs - (Date.now() - started), controller.signal);
        if (controller.signal.aborted) return;
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      this.claiming.set(null);
      await this.failed(error);
    } finally {
      if (this.claiming() === controller) this.claiming.set(null);
    }
  }

  stopWaiting(): void {
    if (this.step() !== 'waiting') return;
    this.claiming()?.abort();
    this.claiming.set(null);
  }

  /** Ends the help session for both sides; the camera stays on for the next call. */
  async endCall(): Promise<void> {
    const match = this.match();
    if (!match || this.ending()) return;
    const session = this.session.current();
    if (!session) return this.expire();
    this.ending.set(true);
    try {
      await this.api.end(match.helpSessionId, session.token);
    } catch (error) {
      // 404: the help session is gone already, so the call is over anyway.
      if (!(error instanceof ApiFailure && error.status === 404)) {
        await this.failed(error);
        return;
      }
    } finally {
      this.ending.set(false);
    }
    if (this.match()?.matchId === match.matchId) this.callSession.end('rep-ended');
  }

  setAutoNext(on: boolean): void {
    this.autoNext.set(on);
  }

  setMuted(muted: boolean): void {
    this.callSession.setMuted(muted);
  }

  setCameraOff(off: boolean): void {
    this.callSession.setCameraOff(off);
  }

  async signOut(): Promise<void> {
    const match = this.match();
    const token = this.session.current()?.token;
    if (match && token) await this.api.end(match.helpSessionId, token).catch(() => undefined);
    // Ends the session on the server (every instance refuses its token from now on) and clears the cookie.
    const { logoutUrl } = await this.api.signOut(token).catch(() => ({ logoutUrl: undefined }));
    await this.close(SIGNED_OUT_NOTICE);
    // Signed in with single sign-on: sign out of the provider too (it sends the browser back here).
    if (logoutUrl) this.document.location.assign(logoutUrl);
  }

  private startCall(claim: ClaimNextResponse): void {
    this.claiming.set(null);
    this.notice.set(null);
    this.failure.set(null);
    this.callSession.claimed(claim);
  }

  /** The call session changed: a call that ended says how, and the next customer may follow by itself. */
  private entered(state: CallSessionState<RepMatch>): void {
    if (state.kind !== 'ended') return;
    if (state.reason === 'refused') {
      // The server refuses (or closes) the socket when the rep's session ended: say why when it said so.
      void this.close(sessionEndNotice(this.callSession.refusal()));
      return;
    }
    this.failure.set(null);
    this.notice.set(endNotice(state.reason, state.match));
    if (this.autoNext() && !this.closed) void this.next();
  }

  /** A match this page knows nothing of (it was reloaded during it, or the push came first): fetch it and resume. */
  private async resumeCall(helpSessionId: string): Promise<void> {
    const token = this.session.current()?.token;
    if (this.claiming() || this.resuming || !token) return;
    this.resuming = true;
    try {
      const current = await this.api.currentClaim(token);
      if (current?.helpSession.id === helpSessionId && !this.closed) this.callSession.claimed(current);
    } catch (error) {
      await this.failed(error);
    } finally {
      this.resuming = false;
    }
  }

  /** Back on the call this page had before it reloaded: camera, presence, and the match with fresh credentials. */
  private async resume(current: ClaimNextResponse): Promise<void> {
    await this.check.streamForCall();
    if (this.closed) return;
    this.goOnline();
    this.callSession.claimed(current);
    this.notice.set(RESUMED_NOTICE);
  }

  private goOnline(): void {
    const session = this.session.current();
    if (!session) {
      void this.expire();
      return;
    }
    this.callSession.open(session.token, {
      localStream: () => this.check.streamForCall(),
      entered: (state) => this.entered(state),
      resumeCall: (helpSessionId) => void this.resumeCall(helpSessionId),
    });
  }

  private async failed(error: unknown): Promise<void> {
    if (error instanceof ApiFailure && error.status === 401) return this.close(sessionEndNotice(error.message));
    this.failure.set(
      error instanceof ApiFailure || error instanceof VideoCallFailure ? error.message : 'Something went wrong. Please try again.',
    );
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
    this.claiming()?.abort();
    this.claiming.set(null);
    this.check.release();
    await this.callSession.close();
  }
}

/** The server's sentence when it is one of the session-end notices, else the generic one. */
function sessionEndNotice(said: string | null): string {
  return said !== null && (Object.values(REP_SESSION_END_NOTICES) as string[]).includes(said) ? said : SESSION_EXPIRED_NOTICE;
}

function endNotice(reason: Exclude<CallEndReason, 'refused'>, match: RepMatch | null): string {
  switch (reason) {
    case 'no-show':
      return noShowNotice(match?.noShowMs ?? 0);
    case 'interrupted':
      return INTERRUPTED_NOTICE;
    default:
      return END_NOTICES[reason];
  }
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
