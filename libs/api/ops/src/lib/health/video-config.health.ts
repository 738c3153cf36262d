import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ServiceKitConfig } from '@servicekit/api/config';
import { IceServers } from '@servicekit/api/video';

/**
 * Readiness of the video settings: OpenTok mode has key and secret (the config refuses half a pair at start);
 * both modes say which STUN and TURN servers browsers get and how TURN credentials are made, never the secret.
 */
@Injectable()
export class VideoConfigHealthIndicator {
  constructor(
    private readonly config: ServiceKitConfig,
    private readonly iceServers: IceServers,
    private readonly indicator: HealthIndicatorService,
  ) {}

  isHealthy(key: string) {
    const check = this.indicator.check(key);
    const video = this.config.video;
    const ice = this.iceServers.describe();
    if (video.provider === 'p2p') return check.up({ provider: 'p2p', ...ice });
    return video.apiKey && video.apiSecret
      ? check.up({ provider: 'opentok', ...ice })
      : check.down({ provider: 'opentok', message: 'OPENTOK_API_KEY and OPENTOK_API_SECRET must both be set.' });
  }
}
