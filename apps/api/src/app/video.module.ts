import { Global, Module } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { IceServers, OpenTokVideoProvider, PeerVideoProvider, VideoProvider } from '@servicekit/api/video';

/**
 * Binds the VideoProvider port to OpenTok when its keys are configured, else to built-in P2P, whose
 * credentials carry the configured STUN and TURN servers. IceServers also serves the pre-call check.
 */
@Global()
@Module({
  providers: [
    { provide: IceServers, inject: [ServiceKitConfig], useFactory: ({ ice }: ServiceKitConfig) => new IceServers(ice) },
    {
      provide: VideoProvider,
      inject: [ServiceKitConfig, IceServers],
      useFactory: ({ video, tokenSecret }: ServiceKitConfig, iceServers: IceServers): VideoProvider =>
        video.provider === 'opentok'
          ? new OpenTokVideoProvider({ apiKey: video.apiKey, apiSecret: video.apiSecret, apiUrl: video.apiUrl })
          : new PeerVideoProvider({ tokenSecret, iceServers }),
    },
  ],
  exports: [VideoProvider, IceServers],
})
export class VideoModule {}
