import { Controller, Get, Headers, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import type { Response } from 'express';
import { OperatorGuard } from '../auth/operator.guard';
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
    private readonly operators: OperatorGuard,
  ) {}

  /** Liveness: answers while the process serves; it checks nothing else on purpose. */
  @Get()
  @ApiOperation({ summary: 'Liveness: 200 while the process serves' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', example: 'ok' } } } })
  liveness() {
    return { status: 'ok' };
  }

  /**
   * Readiness: 200 when the instance is not stopping, the store answers and the video provider is
   * configured; 503 when not. The public (a load balancer) gets the status only; which check failed, the
   * store's address and its error are for operators, with the OPS_TOKEN bearer.
   */
  @Get('ready')
  @ApiOperation({
    summary:
      'Readiness: not stopping, the store answers and the video provider is configured (status only; the checks with the OPS_TOKEN bearer)',
  })
  @HealthCheck()
  async readiness(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<HealthCheckResult | { status: HealthCheckResult['status'] }> {
    let result: HealthCheckResult;
    try {
      result = await this.health.check([
        () => this.shutdown.isHealthy('shutdown'),
        () => this.store.isHealthy('store'),
        () => this.video.isHealthy('video'),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
      response.status(503);
    }
    return this.operators.isOperator(authorization) ? result : { status: result.status };
  }
}
