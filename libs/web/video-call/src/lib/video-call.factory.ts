import { inject, Injectable } from '@angular/core';
import type { VideoProviderName } from '@servicekit/contracts';
import { LocalMedia } from './local-media.service';
import { OpenTokVideoCall } from './opentok-video-call';
import { PeerVideoCall } from './peer-video-call';
import type { VideoCall } from './video-call';
import { VIDEO_CALL_CONFIG } from './video-call.config';

/** Makes the adapter the server chose (`VideoCredentials.provider`); one VideoCall per call. */
@Injectable({ providedIn: 'root' })
export class VideoCallFactory {
  private readonly config = inject(VIDEO_CALL_CONFIG);
  private readonly localMedia = inject(LocalMedia);

  create(provider: VideoProviderName): VideoCall {
    switch (provider) {
      case 'opentok':
        return new OpenTokVideoCall();
      case 'p2p':
        return new PeerVideoCall(this.config, undefined, { localMedia: this.localMedia });
    }
  }
}
