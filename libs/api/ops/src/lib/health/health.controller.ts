import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ShutdownHealthIndicator } from './shutdown.health';
import { StoreHealthIndicator } from './store.health';
import { VideoConfigHealthIndicator } from './video-config.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly store: StoreHealthIndicator,
    private readonly video: VideoConfigHealthIndicator,
    private readonly shutdown: ShutdownHealthIndicator,
  ) {}

  /** Liveness: answers while the process serves; it checks nothing else on purpose. */
  @Get()
  @ApiOperation({ summary: 'Liveness: 200 while the process serves' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', example: 'ok' } } } })
  liveness() {
    return { status: 'ok' };
  }

  /**
   * Readiness: 200 when the instance is not stopping, the store answers and the video provider is configured;
   * 503 naming the failed check.
   */
  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: not stopping, the store answers and the video provider is configured; 503 names the failed check',
  })
  @HealthCheck()
  readiness() {
    return this.health.check([
      () => this.shutdown.isHealthy('shutdown'),
      () => this.store.isHealthy('store'),
      () => this.video.isHealthy('video'),
    ]);
  }
}
