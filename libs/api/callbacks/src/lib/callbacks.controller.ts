import { Body, Controller, Get, Header, Headers, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import { UnauthenticatedError } from '@servicekit/api/errors';
import { THROTTLERS } from '@servicekit/api/rate-limit';
import { CurrentRep, RepGuard, RepIdentity, TokenService } from '@servicekit/api/rep-auth';
import type { CallbackListResponse, CallbackRequestCreated, ClaimedCallback } from '@servicekit/contracts';
import { CallbackOutcomeDto, CreateCallbackDto } from './callbacks.dto';
import { CallbacksService } from './callbacks.service';

@ApiTags('callbacks')
@Controller('callbacks')
export class CallbacksController {
  constructor(
    private readonly callbacks: CallbacksService,
    private readonly tokens: TokenService,
  ) {}

  /** Anyone (also when closed, paused, full or nobody is online); rate-limited per client address like asking for help. */
  @Post()
  @ApiOperation({ summary: 'Leave a callback request (name, problem, phone or email); with helpSessionId, instead of waiting' })
  @ApiBearerAuth('customer')
  @ApiCreatedResponse({ description: '`{id, requestedAt, deleteBy}`.' })
  @ApiBadRequestResponse({ description: 'Validation failed; `details` has a sentence per field.' })
  @ApiUnauthorizedResponse({ description: "helpSessionId without that help session's customer token." })
  @ApiConflictResponse({ description: 'With helpSessionId: a rep already took that customer.' })
  @ApiTooManyRequestsResponse({ description: 'HELP_SESSION_RATE_LIMIT per client address per minute.' })
  @UseGuards(ThrottlerGuard)
  @SkipThrottle({ [THROTTLERS.signIn]: true })
  create(@Body() body: CreateCallbackDto, @Headers('authorization') authorization?: string): Promise<CallbackRequestCreated> {
    if (body.helpSessionId !== undefined) this.requireCustomer(body.helpSessionId, authorization);
    const { helpSessionId, ...request } = body;
    return this.callbacks.create(request, helpSessionId);
  }

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Open callback requests, oldest first, and those you took (with their contact data)' })
  @ApiBearerAuth('rep')
  @ApiOkResponse({ description: '`{open, claimedByYou}`.' })
  @ApiUnauthorizedResponse({ description: 'Sign in as a representative first.' })
  @UseGuards(RepGuard)
  list(@CurrentRep() rep: RepIdentity): Promise<CallbackListResponse> {
    return this.callbacks.list(rep.repId);
  }

  @Post(':id/claim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take a callback request: exactly one rep wins; the winner gets the phone or email' })
  @ApiBearerAuth('rep')
  @ApiOkResponse({ description: 'The request with its contact data (a retry by the winner too).' })
  @ApiNotFoundResponse({ description: 'No such request, closed or expired.' })
  @ApiConflictResponse({ description: 'Another rep took it (`already_taken`).' })
  @UseGuards(RepGuard)
  claim(@Param('id') id: string, @CurrentRep() rep: RepIdentity): Promise<ClaimedCallback> {
    return this.callbacks.claim(id, rep.repId);
  }

  @Post(':id/outcome')
  @HttpCode(204)
  @ApiOperation({ summary: 'Close a request you took: done or not reached; it is deleted with its contact data' })
  @ApiBearerAuth('rep')
  @ApiNoContentResponse({ description: 'Closed and deleted.' })
  @ApiNotFoundResponse({ description: 'No such request, closed or expired.' })
  @UseGuards(RepGuard)
  async outcome(@Param('id') id: string, @Body() body: CallbackOutcomeDto, @CurrentRep() rep: RepIdentity): Promise<void> {
    await this.callbacks.close(id, rep.repId, body.outcome);
  }

  private requireCustomer(helpSessionId: string, authorization: string | undefined): void {
    const token = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
    if (!token) throw new UnauthenticatedError('Leaving the queue for a callback needs the customer token of your help session.');
    if (this.tokens.verifyCustomerToken(token).helpSessionId !== helpSessionId) {
      throw new UnauthenticatedError('This customer token belongs to another help session.');
    }
  }
}
