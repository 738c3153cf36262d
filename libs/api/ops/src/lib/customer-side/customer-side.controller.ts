import { Controller, Get, Header, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CallbacksService } from '@servicekit/api/callbacks';
import { FeedbackService } from '@servicekit/api/feedback';
import type { CallbackFigures, OpsFeedbackResponse } from '@servicekit/contracts';
import { OperatorGuard } from '../auth/operator.guard';

const MAX_DAYS = 30;

/** Operators' view of the customer side: callback requests and feedback, without personal data by default. */
@ApiTags('operators')
@ApiBearerAuth('operator')
@ApiUnauthorizedResponse({ description: 'Missing or wrong operator token.' })
@Controller('ops')
@UseGuards(OperatorGuard)
export class CustomerSideController {
  constructor(
    private readonly callbacks: CallbacksService,
    private readonly feedback: FeedbackService,
  ) {}

  @Get('callbacks')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Callback requests: open, claimed, done and not reached (counts only)' })
  @ApiOkResponse({ description: '`{open, claimed, done, notReached}`.' })
  callbackFigures(): Promise<CallbackFigures> {
    return this.callbacks.figures();
  }

  @Get('feedback')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Ratings per day (count, mean, histogram), newest first; comments with comments=1' })
  @ApiQuery({ name: 'days', required: false, description: `1 to ${MAX_DAYS} (default 7).` })
  @ApiQuery({ name: 'comments', required: false, enum: ['1'] })
  @ApiOkResponse({ description: '`{days: [{date, count, mean, histogram, comments?}], commentRetentionDays}`.' })
  feedbackReport(@Query('days') days?: string, @Query('comments') comments?: string): Promise<OpsFeedbackResponse> {
    const count = /^\d{1,2}$/.test(days ?? '') ? Math.min(MAX_DAYS, Math.max(1, Number(days))) : 7;
    return this.feedback.report(count, comments === '1' || comments === 'true');
  }
}
