import { Global, Module } from '@nestjs/common';
import { ServiceKitConfig } from '@servicekit/api/config';
import { OpenTokVideoProvider, PeerVideoProvider, VideoProvider } from '@servicekit/api/video';

/** Binds the VideoProvider port to OpenTok when its keys are configured, else to built-in P2P. */
@Global()
@Module({
  providers: [
    {
      provide: VideoProvider,
      inject: [ServiceKitConfig],
      useFactory: ({ video, tokenSecret }: ServiceKitConfig): VideoProvider =>
        video.provider === 'opentok'
          ? new OpenTokVideoProvider({ apiKey: video.apiKey, apiSecret: video.apiSecret, apiUrl: video.apiUrl })
          : new PeerVideoProvider({ tokenSecret }),
    },
  ],
  exports: [VideoProvider],
})
export class VideoModule {}
