import { signal } from '@angular/core';
import { Subject } from 'rxjs';
import { toVideoCallFailure, type VideoCallError, type VideoCallFailure } from './video-call-error';
import { VideoCall, type VideoCallState } from './video-call';

/** State, signals and error reporting shared by the adapters; not exported from the lib. */
export abstract class BaseVideoCall extends VideoCall {
  protected readonly local = signal<MediaStream | null>(null);
  protected readonly remote = signal<MediaStream | null>(null);
  protected readonly status = signal<VideoCallState>('idle');
  protected readonly isMuted = signal(false);
  protected readonly isCameraOff = signal(false);
  private readonly errors = new Subject<VideoCallError>();
  /** Set by leave(), so a join still in flight stops at its next step. */
  protected left = false;

  override readonly localStream = this.local.asReadonly();
  override readonly remoteStream = this.remote.asReadonly();
  override readonly state = this.status.asReadonly();
  override readonly muted = this.isMuted.asReadonly();
  override readonly cameraOff = this.isCameraOff.asReadonly();
  override readonly errors$ = this.errors.asObservable();

  protected startJoining(): void {
    if (this.status() !== 'idle') {
      throw new Error('A VideoCall joins once: create a new one for the next call.');
    }
    this.status.set('joining');
  }

  /** Reports the failure, releases everything and returns what join rejects with. */
  protected fail(error: unknown): VideoCallFailure {
    const failure = toVideoCallFailure(error);
    this.release();
    this.status.set('failed');
    this.errors.next(failure.error);
    return failure;
  }

  /** Tells the person what is wrong while the call goes on trying (nothing is released). */
  protected report(error: VideoCallError): void {
    this.errors.next(error);
  }

  /** The other side left or the session closed normally. */
  protected end(): void {
    this.release();
    this.status.set('ended');
  }

  override async leave(): Promise<void> {
    this.left = true;
    this.beforeLeave();
    this.release();
    if (this.status() !== 'failed') {
      this.status.set('ended');
    }
  }

  /** Last words to the other side (e.g. a P2P hangup), before everything is released. */
  protected beforeLeave(): void {
    return;
  }

  /** Closes connections and drops streams; must be safe to call more than once. */
  protected abstract release(): void;
}
