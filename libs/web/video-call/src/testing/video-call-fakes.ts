import { signal } from '@angular/core';
import type { IceConfiguration, VideoCredentials, VideoProviderName } from '@servicekit/contracts';
import { Subject } from 'rxjs';
import { VideoCall, type VideoCallJoinOptions, type VideoCallState } from '../lib/video-call';
import type { VideoCallError } from '../lib/video-call-error';
import { CONNECTIVITY_MESSAGES, type ConnectivityResult } from '../lib/connectivity-check';
import type { DeviceChoice, DeviceKind, DeviceOption } from '../lib/local-media.service';
import { fakeCameraStream } from './media-fakes';

/** A `VideoCall` whose streams and state the test sets; `join` and `leave` are recorded and succeed. */
export class FakeVideoCall extends VideoCall {
  readonly localStream = signal<MediaStream | null>(null);
  readonly remoteStream = signal<MediaStream | null>(null);
  readonly state = signal<VideoCallState>('idle');
  readonly muted = signal(false);
  readonly cameraOff = signal(false);
  readonly errors$ = new Subject<VideoCallError>();
  readonly join = jest.fn((_credentials: VideoCredentials, options: VideoCallJoinOptions) => {
    this.localStream.set(options.localStream ?? null);
    this.state.set('joining');
    return Promise.resolve();
  });
  readonly leave = jest.fn(() => {
    this.remoteStream.set(null);
    this.state.set('ended');
    return Promise.resolve();
  });
  readonly setMuted = jest.fn((muted: boolean) => this.muted.set(muted));
  readonly setCameraOff = jest.fn((off: boolean) => this.cameraOff.set(off));
  /** What `stats()` answers: set it to a `fakeStatsReport(...)`; null means none. */
  statsReport: RTCStatsReport | null = null;
  override readonly stats = jest.fn(() => Promise.resolve(this.statsReport));
}

/** An `RTCStatsReport` (a read-only map by id) of the given entries. */
export function fakeStatsReport(entries: (Record<string, unknown> & { id: string; type: string })[]): RTCStatsReport {
  return new Map(entries.map((entry) => [entry.id, entry])) as unknown as RTCStatsReport;
}

/** Stands in for `VideoCallFactory`: every call it made, in order. */
export class FakeVideoCalls {
  readonly made: FakeVideoCall[] = [];
  readonly create = jest.fn((_provider: VideoProviderName): FakeVideoCall => {
    const call = new FakeVideoCall();
    this.made.push(call);
    return call;
  });

  /** The call made last; fails the test when none was. */
  last(): FakeVideoCall {
    const call = this.made.at(-1);
    if (!call) throw new Error('No video call was made');
    return call;
  }
}

/** Stands in for `LocalMedia`: hands out one camera stream (unless told to fail) and records releases and choices. */
export class FakeLocalMedia {
  constructor(readonly stream: MediaStream = fakeCameraStream()) {}

  readonly acquire = jest.fn((): Promise<MediaStream> => Promise.resolve(this.stream));
  readonly release = jest.fn((_stream: MediaStream | null | undefined): void => undefined);
  readonly devices = jest.fn(
    (): Promise<Record<'cameras' | 'microphones', DeviceOption[]>> =>
      Promise.resolve({ cameras: [{ deviceId: 'camera-1', label: 'Camera' }], microphones: [{ deviceId: 'mic-1', label: 'Microphone' }] }),
  );
  readonly choose = jest.fn((_kind: DeviceKind, _deviceId: string): void => undefined);
  readonly chosen = jest.fn((): DeviceChoice => ({}));
}

/** The connectivity check passing at once unless a test says otherwise (`run.mockResolvedValueOnce`). */
export class FakeConnectivityCheck {
  static readonly PASS: ConnectivityResult = {
    outcome: 'pass',
    verdict: 'ready',
    message: CONNECTIVITY_MESSAGES.ready,
    candidates: { host: 1, srflx: 0, relay: 0 },
    elapsedMs: 1,
  };
  static readonly FAIL: ConnectivityResult = {
    outcome: 'fail',
    verdict: 'blocked',
    message: CONNECTIVITY_MESSAGES.blocked,
    candidates: { host: 1, srflx: 0, relay: 0 },
    elapsedMs: 1,
  };
  readonly run = jest.fn((_ice?: IceConfiguration): Promise<ConnectivityResult> => Promise.resolve(FakeConnectivityCheck.PASS));
}
