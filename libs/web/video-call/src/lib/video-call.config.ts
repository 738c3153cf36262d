import { InjectionToken } from '@angular/core';

export interface VideoCallConfig {
  /** STUN/TURN servers for the built-in P2P adapter; none are needed on localhost or a LAN. */
  iceServers: RTCIceServer[];
}

export const VIDEO_CALL_DEFAULT_CONFIG: VideoCallConfig = { iceServers: [] };

export const VIDEO_CALL_CONFIG = new InjectionToken<VideoCallConfig>('VIDEO_CALL_CONFIG', {
  providedIn: 'root',
  factory: () => VIDEO_CALL_DEFAULT_CONFIG,
});
