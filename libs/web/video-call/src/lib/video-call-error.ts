export type VideoCallErrorCode =
  | 'permission-denied'
  | 'no-device'
  | 'device-in-use'
  /** The connection could not be made at all (e.g. a firewall, or the relay refused the credentials). */
  | 'connection-failed'
  /** The connection was up, dropped, and has not come back yet; the call goes on trying. */
  | 'connection-lost'
  | 'unsupported';

/** What went wrong, with a sentence the person in front of the screen can act on. */
export interface VideoCallError {
  code: VideoCallErrorCode;
  message: string;
}

export const VIDEO_CALL_ERROR_MESSAGES: Readonly<Record<VideoCallErrorCode, string>> = {
  'permission-denied': $localize`:@@vc.error.permissionDenied:Camera and microphone access was blocked. Allow it in your browser's address bar, then try again.`,
  'no-device': $localize`:@@vc.error.noDevice:No camera or microphone was found. Connect one, then try again.`,
  'device-in-use': $localize`:@@vc.error.deviceInUse:Your camera or microphone could not be started. Close other apps or tabs that are using it, then try again.`,
  'connection-failed': $localize`:@@vc.error.connectionFailed:The video connection could not be made: a network between you and the other person blocks it. Check your internet connection, or try another network.`,
  'connection-lost': $localize`:@@vc.error.connectionLost:The video connection was lost and has not come back yet. Check your internet connection: the call goes on as soon as it is back.`,
  unsupported: $localize`:@@vc.error.unsupported:This browser cannot make video calls here. Open this page over https in a current version of Chrome, Edge, Firefox or Safari.`,
};

export function videoCallError(code: VideoCallErrorCode): VideoCallError {
  return { code, message: VIDEO_CALL_ERROR_MESSAGES[code] };
}

/** Thrown (and rejected with) by `LocalMedia` and `VideoCall.join`; `error` is what `errors$` also emits. */
export class VideoCallFailure extends Error {
  constructor(
    readonly error: VideoCallError,
    options?: { cause?: unknown },
  ) {
    super(error.message, options);
    this.name = 'VideoCallFailure';
  }

  static of(code: VideoCallErrorCode, cause?: unknown): VideoCallFailure {
    return new VideoCallFailure(videoCallError(code), cause === undefined ? undefined : { cause });
  }
}

/** Anything unexpected while connecting counts as a connection failure; typed failures keep their code. */
export function toVideoCallFailure(error: unknown): VideoCallFailure {
  return error instanceof VideoCallFailure ? error : VideoCallFailure.of('connection-failed', error);
}
