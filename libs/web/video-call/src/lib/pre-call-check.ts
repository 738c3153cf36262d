import { computed, inject, Injectable, OnDestroy, signal } from '@angular/core';
import type { IceConfiguration } from '@servicekit/contracts';
import { ConnectivityCheck, type ConnectivityOutcome, type ConnectivityResult } from './connectivity-check';
import { type DeviceKind, type DeviceOption, LocalMedia } from './local-media.service';
import { MEDIA_SUPPORT } from './media-support';
import { toVideoCallFailure, VideoCallFailure } from './video-call-error';

/**
 * The pre-call check of a page, as signals: camera and microphone (the remembered ones, switchable), a live
 * stream for the preview and the level meter, and the connectivity check with the call's ICE servers. Pass
 * and Warn may go on to a call; Fail may not. The stream is the page's to publish; `release` stops it.
 * Provided by the page that uses it.
 */
@Injectable()
export class PreCallCheck implements OnDestroy {
  private readonly media = inject(LocalMedia);
  private readonly connectivity = inject(ConnectivityCheck);

  /** Whether this page can have media at all; when not, why, in words (nothing else is tried). */
  readonly support = inject(MEDIA_SUPPORT);
  private readonly current = signal<MediaStream | null>(null);
  /** The camera and microphone, live. */
  readonly stream = this.current.asReadonly();
  readonly cameras = signal<DeviceOption[]>([]);
  readonly microphones = signal<DeviceOption[]>([]);
  /** The device ids in use. */
  readonly camera = computed(() => deviceOf(this.current()?.getVideoTracks()[0]));
  readonly microphone = computed(() => deviceOf(this.current()?.getAudioTracks()[0]));
  private readonly failure = signal<string | null>(null);
  /** Why camera or microphone could not be had, in words. */
  readonly mediaError = this.failure.asReadonly();
  private readonly connection = signal<ConnectivityResult | null>(null);
  /** The last connectivity check, if one ran. */
  readonly result = this.connection.asReadonly();
  readonly checking = signal(false);
  /** Pass, Warn or Fail once the check ran (media counts first); null before and while it runs. */
  readonly outcome = computed<ConnectivityOutcome | null>(() => {
    if (!this.support.ok || this.failure()) return 'fail';
    if (this.checking()) return null;
    return this.connection()?.outcome ?? null;
  });
  /** The sentence that goes with the outcome: what to do. */
  readonly message = computed<string | null>(() => {
    if (!this.support.ok) return this.support.message;
    return this.failure() ?? (this.checking() ? null : (this.connection()?.message ?? null));
  });
  private stopped = false;

  ngOnDestroy(): void {
    this.release();
  }

  /** The camera and microphone, then (unless skipped) the connectivity check; resolves with the outcome. */
  async run(ice: IceConfiguration | undefined, { connectivity = true }: { connectivity?: boolean } = {}): Promise<ConnectivityOutcome> {
    if (this.checking()) return 'fail';
    this.checking.set(true);
    this.connection.set(null);
    try {
      const stream = await this.startMedia();
      if (!stream) return 'fail';
      if (connectivity) this.connection.set(await this.connectivity.run(ice));
    } finally {
      this.checking.set(false);
    }
    return this.outcome() ?? 'pass';
  }

  /** The camera and microphone (once); null when they cannot be had, with the reason in `mediaError`. */
  async startMedia(): Promise<MediaStream | null> {
    try {
      return await this.streamForCall();
    } catch {
      return null;
    }
  }

  /** The stream a call publishes: the checked one, or started now (a reload during a call); rejects with why not. */
  async streamForCall(): Promise<MediaStream> {
    if (!this.support.ok) throw new VideoCallFailure({ code: 'unsupported', message: this.support.message });
    const existing = this.current();
    if (existing) return existing;
    this.stopped = false;
    this.failure.set(null);
    let stream: MediaStream;
    try {
      stream = await this.media.acquire();
    } catch (error) {
      const failure = toVideoCallFailure(error);
      this.failure.set(failure.message);
      throw failure;
    }
    if (this.stopped) {
      this.media.release(stream);
      throw VideoCallFailure.of('device-in-use');
    }
    this.current.set(stream);
    await this.listDevices();
    return stream;
  }

  /** Switches to another camera or microphone and remembers it; the preview follows. */
  async choose(kind: DeviceKind, deviceId: string): Promise<void> {
    this.media.choose(kind, deviceId);
    const previous = this.current();
    if (!previous) return;
    this.current.set(null);
    this.media.release(previous);
    await this.startMedia();
  }

  /** Stops camera and microphone (the light goes off). */
  release(): void {
    this.stopped = true;
    this.media.release(this.current());
    this.current.set(null);
  }

  private async listDevices(): Promise<void> {
    const { cameras, microphones } = await this.media.devices();
    this.cameras.set(cameras);
    this.microphones.set(microphones);
  }
}

function deviceOf(track: MediaStreamTrack | undefined): string | null {
  return (track?.getSettings?.().deviceId as string | undefined) ?? null;
}
