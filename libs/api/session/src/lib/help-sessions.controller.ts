import { Body, Controller, Delete, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import type { CreateHelpSessionResponse, QueuePositionResponse } from '@servicekit/contracts';
import { CurrentRep, CustomerGuard, CustomerOrRepGuard } from './auth.guards';
import { UnauthenticatedError } from './help-session.errors';
import { HelpSessionService } from './help-session.service';
import { CreateHelpSessionDto } from './session.dto';
import { RepIdentity } from './token.service';

@Controller('help-sessions')
export class HelpSessionsController {
  constructor(private readonly sessions: HelpSessionService) {}

  /** Anyone may ask for help; rate-limited per client address. */
  @Post()
  @UseGuards(ThrottlerGuard)
  @SkipThrottle({ 'sign-in': true })
  create(@Body() body: CreateHelpSessionDto): Promise<CreateHelpSessionResponse> {
    return this.sessions.create(body.customerName, body.problemText);
  }

  @Post(':id/queue')
  @UseGuards(CustomerGuard)
  enqueue(@Param('id') id: string): Promise<QueuePositionResponse> {
    return this.sessions.enqueue(id);
  }

  @Delete(':id/queue')
  @HttpCode(204)
  @UseGuards(CustomerGuard)
  async cancel(@Param('id') id: string): Promise<void> {
    await this.sessions.cancel(id);
  }

  /** The customer, or the rep who took this help session. */
  @Delete(':id')
  @HttpCode(204)
  @UseGuards(CustomerOrRepGuard)
  async end(@Param('id') id: string, @CurrentRep() rep: RepIdentity | undefined): Promise<void> {
    if (rep && (await this.sessions.matchedRep(id)) !== rep.repId) {
      throw new UnauthenticatedError('Only the customer or the representative who took this help session can end it.');
    }
    await this.sessions.end(id, rep ? 'rep-ended' : 'customer-ended');
  }
}
