import { Controller, Get, Header, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { OperatorGuard } from '../auth/operator.guard';
import { OpsQueueView } from './ops-queue.view';
import { QueueInspection } from './queue-inspection.service';

@ApiTags('operators')
@ApiBearerAuth('operator')
@ApiUnauthorizedResponse({ description: 'Missing or wrong operator token.' })
@Controller('ops')
@UseGuards(OperatorGuard)
export class OpsController {
  constructor(private readonly inspection: QueueInspection) {}

  @Get('queue')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The live queue, reps and calls (no personal data unless pii=1)' })
  @ApiQuery({ name: 'pii', required: false, enum: ['1'], description: "Add each waiting customer's name and problem." })
  @ApiOkResponse({ type: OpsQueueView })
  queue(@Query('pii') pii?: string): Promise<OpsQueueView> {
    return this.inspection.view(pii === '1' || pii === 'true');
  }
}
