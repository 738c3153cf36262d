import type { Signal } from '@angular/core';
import type { VideoCredentials } from '@servicekit/contracts';
import type { Observable } from 'rxjs';
import type { SignalingChannel } from './signaling-channel';
import type { VideoCallError } from './video-call-error';

export type VideoCallState = 'idle' | 'joining' | 'connected' | 'reconnecting' | 'ended' | 'failed';

export type VideoCallRole = 'customer' | 'rep';

export interface VideoCallJoinOptions {
  role: VideoCallRole;
  /** Required by the built-in P2P adapter; OpenTok ignores it. */
  signaling?: SignalingChannel;
  /** A stream the caller owns: published, never stopped by the call (the rep reuses one from call to call). */
  localStream?: MediaStream;
}

/**
 * The browser side of one call (port). One instance per call: create it with `VideoCallFactory`, `join`
 * once, `leave` at the end.
 */
export abstract class VideoCall {
  /** What this side publishes, for the local preview; null before join and after leave. */
  abstract readonly localStream: Signal<MediaStream | null>;
  /** The other person's audio and video; null until it arrives and after they leave. */
  abstract readonly remoteStream: Signal<MediaStream | null>;
  /** 'connected' once media can flow: OpenTok when connected and publishing, P2P when the peer connection is up. */
  abstract readonly state: Signal<VideoCallState>;
  abstract readonly muted: Signal<boolean>;
  abstract readonly cameraOff: Signal<boolean>;
  /** Everything that failed, for a message on screen. `join` also rejects with a `VideoCallFailure`. */
  abstract readonly errors$: Observable<VideoCallError>;

  /** Connects and publishes the local stream (the given one, or one it acquires); resolves once joined, not once the other side arrives. */
  abstract join(credentials: VideoCredentials, options: VideoCallJoinOptions): Promise<void>;
  abstract setMuted(muted: boolean): void;
  abstract setCameraOff(off: boolean): void;
  /** Closes the connection and drops the remote stream; stops the local stream only if the call acquired it. */
  abstract leave(): Promise<void>;

  /**
   * The connection's WebRTC statistics (`getStats()`), for the connection indicator; null when this adapter
   * or moment has none (OpenTok keeps its peer connections to itself, so its indicator follows `state`).
   */
  stats(): Promise<RTCStatsReport | null> {
    return Promise.resolve(null);
  }
}
