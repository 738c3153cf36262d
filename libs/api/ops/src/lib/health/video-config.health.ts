import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ServiceKitConfig } from '@servicekit/api/config';

/** Readiness in OpenTok mode: key and secret are both present (the config refuses half a pair at start). */
@Injectable()
export class VideoConfigHealthIndicator {
  constructor(
    private readonly config: ServiceKitConfig,
    private readonly indicator: HealthIndicatorService,
  ) {}

  isHealthy(key: string) {
    const check = this.indicator.check(key);
    const video = this.config.video;
    if (video.provider === 'p2p') return check.up({ provider: 'p2p' });
    return video.apiKey && video.apiSecret
      ? check.up({ provider: 'opentok' })
      : check.down({ provider: 'opentok', message: 'OPENTOK_API_KEY and OPENTOK_API_SECRET must both be set.' });
  }
}
