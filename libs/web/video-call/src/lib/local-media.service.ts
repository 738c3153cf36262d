import { Injectable } from '@angular/core';
import { VideoCallFailure, type VideoCallErrorCode } from './video-call-error';

const CODES_BY_DOM_ERROR: Readonly<Record<string, VideoCallErrorCode>> = {
  NotAllowedError: 'permission-denied',
  SecurityError: 'permission-denied',
  PermissionDeniedError: 'permission-denied',
  NotFoundError: 'no-device',
  DevicesNotFoundError: 'no-device',
  OverconstrainedError: 'no-device',
  NotReadableError: 'device-in-use',
  TrackStartError: 'device-in-use',
  // Firefox reports a camera held by another process as AbortError.
  AbortError: 'device-in-use',
};

export function mediaErrorCode(error: unknown): VideoCallErrorCode {
  const name = error instanceof Error || isNamed(error) ? error.name : '';
  return CODES_BY_DOM_ERROR[name] ?? 'device-in-use';
}

function isNamed(value: unknown): value is { name: string } {
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';
}

/** The camera and microphone of this browser. */
@Injectable({ providedIn: 'root' })
export class LocalMedia {
  /** Asks for camera and microphone; rejects with a `VideoCallFailure` whose message says what to do. */
  async acquire(): Promise<MediaStream> {
    // mediaDevices is missing on plain http (other than localhost) and in old browsers.
    const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
    if (typeof devices?.getUserMedia !== 'function') {
      throw VideoCallFailure.of('unsupported');
    }
    try {
      return await devices.getUserMedia({ video: true, audio: true });
    } catch (error) {
      throw VideoCallFailure.of(mediaErrorCode(error), error);
    }
  }

  /** Stops every track, which turns the camera light off. */
  release(stream: MediaStream | null | undefined): void {
    stream?.getTracks().forEach((track) => track.stop());
  }
}
