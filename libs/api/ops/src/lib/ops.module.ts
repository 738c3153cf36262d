import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health/health.controller';
import { StoreHealthIndicator } from './health/store.health';
import { VideoConfigHealthIndicator } from './health/video-config.health';

/** Operators' endpoints. Expects `KeyValueStore` and `ServiceKitConfig` from the composition root. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [StoreHealthIndicator, VideoConfigHealthIndicator],
})
export class OpsModule {}
