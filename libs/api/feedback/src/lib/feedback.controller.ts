import { Body, Controller, Headers, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import { UnauthenticatedError } from '@servicekit/api/errors';
import { THROTTLERS } from '@servicekit/api/rate-limit';
import { TokenService } from '@servicekit/api/rep-auth';
import { FeedbackDto } from './feedback.dto';
import { FeedbackService } from './feedback.service';

@ApiTags('feedback')
@Controller('feedback')
export class FeedbackController {
  constructor(
    private readonly feedback: FeedbackService,
    private readonly tokens: TokenService,
  ) {}

  @Post()
  @HttpCode(204)
  @ApiOperation({ summary: 'Rate a call (1-5, optional comment); once per help session, stored without a link to it' })
  @ApiBearerAuth('customer')
  @ApiNoContentResponse({ description: 'Stored.' })
  @ApiBadRequestResponse({ description: 'Validation failed; `details` has a sentence per field.' })
  @ApiUnauthorizedResponse({ description: 'Missing or foreign customer token.' })
  @ApiConflictResponse({ description: '`no_call`: no rep took this help session; `already_rated`.' })
  @ApiTooManyRequestsResponse({ description: 'HELP_SESSION_RATE_LIMIT per client address per minute.' })
  @UseGuards(ThrottlerGuard)
  @SkipThrottle({ [THROTTLERS.signIn]: true })
  async rate(@Body() body: FeedbackDto, @Headers('authorization') authorization?: string): Promise<void> {
    const token = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
    if (!token) throw new UnauthenticatedError('Feedback needs the customer token of your help session.');
    if (this.tokens.verifyCustomerToken(token).helpSessionId !== body.helpSessionId) {
      throw new UnauthenticatedError('This customer token belongs to another help session.');
    }
    await this.feedback.rate(body.helpSessionId, body.rating, body.comment);
  }
}
