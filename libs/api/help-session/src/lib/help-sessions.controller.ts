import { Body, Controller, Delete, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import { THROTTLERS } from '@servicekit/api/rate-limit';
import type { CheckContextResponse, CreateHelpSessionResponse, QueuePositionResponse } from '@servicekit/contracts';
import { CurrentRep, CustomerGuard, CustomerOrRepGuard, RepIdentity } from '@servicekit/api/rep-auth';
import { UnauthenticatedError } from '@servicekit/api/errors';
import { HelpSessionIdPipe } from './help-session-id.pipe';
import { HelpSessionService } from './help-session.service';
import { CheckContextDto, CreateHelpSessionDto } from './help-session.dto';

const VIDEO_SCHEMA = {
  type: 'object',
  properties: {
    provider: { type: 'string', enum: ['opentok', 'p2p'] },
    sessionId: { type: 'string' },
    token: { type: 'string' },
    apiKey: { type: 'string' },
  },
};

@ApiTags('help sessions')
@Controller('help-sessions')
export class HelpSessionsController {
  constructor(private readonly sessions: HelpSessionService) {}

  /** Anyone may ask for help; rate-limited per client address. */
  @Post()
  @ApiOperation({ summary: 'Ask for help: creates a help session and its secret customer token' })
  @ApiCreatedResponse({
    schema: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        customerToken: { type: 'string' },
        video: VIDEO_SCHEMA,
        context: { type: 'string', enum: ['verified', 'ignored'], description: 'Only when a context token was sent.' },
      },
    },
  })
  @ApiBadRequestResponse({ description: 'Validation failed; `details` has a sentence per field.' })
  @ApiTooManyRequestsResponse({ description: 'HELP_SESSION_RATE_LIMIT per client address per minute.' })
  @UseGuards(ThrottlerGuard)
  @SkipThrottle({ [THROTTLERS.signIn]: true, [THROTTLERS.signInLogin]: true })
  create(@Body() body: CreateHelpSessionDto): Promise<CreateHelpSessionResponse> {
    return this.sessions.create(body.customerName, body.problemText, body.context);
  }

  /** The widget's embed page checks a host site's context token before it prefills the form with it. */
  @Post('context')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check a context token from the host site (nothing is stored)' })
  @ApiOkResponse({
    description: 'Valid: what it prefills. Not valid: `{valid: false, message}` with why (the form is simply not prefilled).',
    schema: {
      type: 'object',
      properties: {
        valid: { type: 'boolean' },
        customerName: { type: 'string' },
        reference: { type: 'string', nullable: true },
        message: { type: 'string' },
      },
    },
  })
  @ApiBadRequestResponse({ description: 'No context token in the body.' })
  @UseGuards(ThrottlerGuard)
  @SkipThrottle({ [THROTTLERS.signIn]: true })
  checkContext(@Body() body: CheckContextDto): CheckContextResponse {
    return this.sessions.checkContext(body.context);
  }

  @Post(':id/queue')
  @ApiOperation({ summary: 'Join the queue (idempotent: a retry keeps the place)' })
  @ApiBearerAuth('customer')
  @ApiCreatedResponse({
    schema: { type: 'object', properties: { position: { type: 'integer', example: 1 }, estimatedWaitMs: { type: 'integer' } } },
  })
  @ApiUnauthorizedResponse({ description: 'Missing or foreign customer token.' })
  @ApiNotFoundResponse({ description: 'No such help session.' })
  @ApiConflictResponse({ description: 'The help session ended, or a rep already took it.' })
  @UseGuards(CustomerGuard)
  enqueue(@Param('id', HelpSessionIdPipe) id: string): Promise<QueuePositionResponse> {
    return this.sessions.enqueue(id);
  }

  @Delete(':id/queue')
  @ApiOperation({ summary: 'Leave the queue (and end the help session)' })
  @ApiBearerAuth('customer')
  @ApiNoContentResponse({ description: 'Cancelled.' })
  @ApiUnauthorizedResponse({ description: 'Missing or foreign customer token.' })
  @ApiNotFoundResponse({ description: 'No such help session, or not in the queue.' })
  @ApiConflictResponse({ description: 'A rep already took this customer.' })
  @HttpCode(204)
  @UseGuards(CustomerGuard)
  async cancel(@Param('id', HelpSessionIdPipe) id: string): Promise<void> {
    await this.sessions.cancel(id);
  }

  /** The customer, or the rep who took this help session. */
  @Delete(':id')
  @ApiOperation({ summary: 'End the help session (the customer, or the rep who took it)' })
  @ApiBearerAuth('customer')
  @ApiBearerAuth('rep')
  @ApiNoContentResponse({ description: 'Ended (idempotent).' })
  @ApiUnauthorizedResponse({ description: "Neither this help session's customer nor the rep who took it." })
  @ApiNotFoundResponse({ description: 'No such help session.' })
  @HttpCode(204)
  @UseGuards(CustomerOrRepGuard)
  async end(@Param('id', HelpSessionIdPipe) id: string, @CurrentRep() rep: RepIdentity | undefined): Promise<void> {
    if (rep && (await this.sessions.matchedRep(id)) !== rep.repId) {
      throw new UnauthenticatedError('Only the customer or the representative who took this help session can end it.');
    }
    await this.sessions.end(id, rep ? 'rep-ended' : 'customer-ended');
  }
}
