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

export type DeviceKind = 'camera' | 'microphone';

/** A camera or microphone to choose from; the label is empty until the person allowed access once. */
export interface DeviceOption {
  deviceId: string;
  label: string;
}

/** The devices the person chose, remembered in this browser. */
export type DeviceChoice = Partial<Record<DeviceKind, string>>;

const CHOICE_KEY = 'sk.devices';

function readChoice(): DeviceChoice {
  try {
    const value = JSON.parse(localStorage.getItem(CHOICE_KEY) ?? '{}') as Record<string, unknown>;
    const choice: DeviceChoice = {};
    for (const kind of ['camera', 'microphone'] as const) {
      const deviceId = value[kind];
      if (typeof deviceId === 'string') choice[kind] = deviceId;
    }
    return choice;
  } catch {
    // Storage blocked or a corrupt entry: no choice yet.
    return {};
  }
}

/** The camera and microphone of this browser, and the person's choice among them (kept in localStorage). */
@Injectable({ providedIn: 'root' })
export class LocalMedia {
  /**
   * Asks for camera and microphone (the remembered ones, where they still exist); rejects with a
   * `VideoCallFailure` whose message says what to do.
   */
  async acquire(): Promise<MediaStream> {
    // mediaDevices is missing on plain http (other than localhost) and in old browsers.
    const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
    if (typeof devices?.getUserMedia !== 'function') {
      throw VideoCallFailure.of('unsupported');
    }
    const { camera, microphone } = this.chosen();
    try {
      return await devices.getUserMedia({
        video: camera ? { deviceId: { ideal: camera } } : true,
        audio: microphone ? { deviceId: { ideal: microphone } } : true,
      });
    } catch (error) {
      throw VideoCallFailure.of(mediaErrorCode(error), error);
    }
  }

  /** The cameras and microphones there are (with names once access was allowed). */
  async devices(): Promise<Record<'cameras' | 'microphones', DeviceOption[]>> {
    const media = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
    const all = typeof media?.enumerateDevices === 'function' ? await media.enumerateDevices().catch(() => []) : [];
    const of = (kind: MediaDeviceKind, name: string) =>
      all
        .filter((device) => device.kind === kind && device.deviceId !== '')
        .map((device, index) => ({ deviceId: device.deviceId, label: device.label || `${name} ${index + 1}` }));
    return { cameras: of('videoinput', 'Camera'), microphones: of('audioinput', 'Microphone') };
  }

  /** The remembered choice; nothing when none was made. */
  chosen(): DeviceChoice {
    this.choice ??= readChoice();
    return { ...this.choice };
  }

  /** Remembers the device for the next `acquire`, here and on later visits. */
  choose(kind: DeviceKind, deviceId: string): void {
    this.choice = { ...this.chosen(), [kind]: deviceId };
    try {
      localStorage.setItem(CHOICE_KEY, JSON.stringify(this.choice));
    } catch {
      // Storage blocked: the choice holds for this page only.
    }
  }

  private choice: DeviceChoice | null = null;

  /** Stops every track, which turns the camera light off. */
  release(stream: MediaStream | null | undefined): void {
    stream?.getTracks().forEach((track) => track.stop());
  }
}
