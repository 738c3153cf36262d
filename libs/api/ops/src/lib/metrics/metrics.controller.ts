import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ServiceKitMetrics } from '@servicekit/api/metrics';
import type { Response } from 'express';
import { OperatorGuard } from '../auth/operator.guard';
import { QueueInspection } from '../queue/queue-inspection.service';

@ApiTags('operators')
@ApiBearerAuth('operator')
@Controller('metrics')
@UseGuards(OperatorGuard)
export class MetricsController {
  constructor(
    private readonly metrics: ServiceKitMetrics,
    private readonly inspection: QueueInspection,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics of this instance (queue gauges are the same on every instance)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4.', schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ description: 'Missing or wrong operator token.' })
  async scrape(@Res({ passthrough: true }) response: Response): Promise<string> {
    const text = await this.metrics.text(() => this.inspection.figures());
    response.setHeader('Content-Type', this.metrics.contentType);
    response.setHeader('Cache-Control', 'no-store');
    return text;
  }
}
