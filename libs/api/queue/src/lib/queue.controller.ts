import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { ClaimNextResponse } from '@servicekit/contracts';
import type { Request, Response } from 'express';
import { CurrentRep, RepGuard, RepIdentity, RepStatusService } from '@servicekit/api/rep-auth';
import { CustomerClaims } from './customer-claims';
import { ClaimNextDto } from './queue.dto';

const CLAIM_SCHEMA = {
  type: 'object',
  properties: {
    matchId: { type: 'string' },
    helpSession: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        customerName: { type: 'string' },
        problemText: { type: 'string' },
        waitedMs: { type: 'integer' },
      },
    },
    video: {
      type: 'object',
      properties: {
        provider: { type: 'string', enum: ['opentok', 'p2p'] },
        sessionId: { type: 'string' },
        token: { type: 'string' },
        apiKey: { type: 'string' },
        iceServers: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              urls: { type: 'array', items: { type: 'string' } },
              username: { type: 'string' },
              credential: { type: 'string' },
            },
          },
        },
        iceTransportPolicy: { type: 'string', enum: ['all', 'relay'] },
      },
    },
    noShowMs: { type: 'integer' },
  },
};

@ApiTags('queue')
@ApiBearerAuth('rep')
@Controller('queue')
export class QueueController {
  constructor(
    private readonly claims: CustomerClaims,
    private readonly status: RepStatusService,
  ) {}

  /** The rep's current reservation or call (a reloaded console resumes it): 200 as for a claim, or 204 when none. */
  @Get('current')
  @ApiOperation({ summary: "The rep's current customer again, with fresh video credentials (204 when none)" })
  @ApiOkResponse({ description: 'The reservation or call in progress, in the shape of a claim.', schema: CLAIM_SCHEMA })
  @ApiNoContentResponse({ description: 'No reservation or call in progress.' })
  @ApiUnauthorizedResponse({ description: 'Not signed in as a rep.' })
  @UseGuards(RepGuard)
  async current(@CurrentRep() rep: RepIdentity, @Res({ passthrough: true }) response: Response): Promise<ClaimNextResponse | undefined> {
    const claim = await this.claims.currentClaim(rep);
    if (!claim) response.status(204);
    return claim ?? undefined;
  }

  /**
   * The first waiting customer for this rep: 200 with the customer and the rep's video token, or 204 when
   * nobody waits (after waiting up to `waitMs` for someone to arrive).
   */
  @Post('next')
  @ApiOperation({ summary: 'Take the first waiting customer (optionally waiting up to waitMs for one)' })
  @ApiOkResponse({
    description: "A reservation: the customer, and the rep's video credentials. Media must follow within noShowMs.",
    schema: CLAIM_SCHEMA,
  })
  @ApiNoContentResponse({ description: 'Nobody is waiting.' })
  @ApiUnauthorizedResponse({ description: 'Not signed in as a rep.' })
  @ApiConflictResponse({
    description: '`rep_away`: the rep is set to away; `rep_wrap_up`: the rep is in wrap-up (the message says until when).',
  })
  @HttpCode(200)
  @UseGuards(RepGuard)
  async next(
    @Body() body: ClaimNextDto,
    @CurrentRep() rep: RepIdentity,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ClaimNextResponse | undefined> {
    await this.status.assertCanTakeCustomer(rep.repId);
    // A rep who gives up waiting (closes the request) must not be handed a customer nobody will see.
    const gaveUp = new AbortController();
    const onClose = () => gaveUp.abort();
    request.once('close', onClose);
    try {
      const claimed = await this.claims.claimNext(rep, body.waitMs ?? 0, gaveUp.signal);
      if (!claimed) response.status(204);
      return claimed ?? undefined;
    } finally {
      request.off('close', onClose);
    }
  }
}
