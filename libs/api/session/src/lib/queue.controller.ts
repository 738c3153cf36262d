import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { ClaimNextResponse } from '@servicekit/contracts';
import type { Request, Response } from 'express';
import { CurrentRep, RepGuard } from './auth.guards';
import { HelpSessionService } from './help-session.service';
import { ClaimNextDto } from './session.dto';
import { RepIdentity } from './token.service';

@Controller('queue')
export class QueueController {
  constructor(private readonly sessions: HelpSessionService) {}

  /**
   * The first waiting customer for this rep: 200 with the customer and the rep's video token, or 204 when
   * nobody waits (after waiting up to `waitMs` for someone to arrive).
   */
  @Post('next')
  @HttpCode(200)
  @UseGuards(RepGuard)
  async next(
    @Body() body: ClaimNextDto,
    @CurrentRep() rep: RepIdentity,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ClaimNextResponse | undefined> {
    // A rep who gives up waiting (closes the request) must not be handed a customer nobody will see.
    const gaveUp = new AbortController();
    const onClose = () => gaveUp.abort();
    request.once('close', onClose);
    try {
      const claimed = await this.sessions.claimNext(rep, body.waitMs ?? 0, gaveUp.signal);
      if (!claimed) response.status(204);
      return claimed ?? undefined;
    } finally {
      request.off('close', onClose);
    }
  }
}
