import { Body, Controller, Get, Header, Put, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { REP_CHOSEN_STATUSES, REP_STATUSES, type RepChosenStatus, type RepStatusResponse } from '@servicekit/contracts';
import { CurrentRep, RepGuard } from '../auth.guards';
import type { RepIdentity } from '../sessions/rep-session';
import { RepStatusService } from './rep-status';

export class RepStatusDto {
  @ApiProperty({ enum: [...REP_CHOSEN_STATUSES], description: 'available or away (in-call and wrap-up are set by the server).' })
  @IsIn(REP_CHOSEN_STATUSES, { message: 'The status must be "available" or "away".' })
  status!: RepChosenStatus;
}

const STATUS_SCHEMA = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: [...REP_STATUSES] },
    chosen: { type: 'string', enum: [...REP_CHOSEN_STATUSES] },
    wrapUpEndsAt: { type: 'string', format: 'date-time' },
    wrapUpMsLeft: { type: 'integer' },
  },
};

@ApiTags('representatives')
@ApiBearerAuth('rep')
@Controller('reps/me/status')
@UseGuards(RepGuard)
export class RepStatusController {
  constructor(private readonly status: RepStatusService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "The signed-in rep's status: available, away, in-call or wrap-up (with when it ends)" })
  @ApiOkResponse({ schema: STATUS_SCHEMA })
  @ApiUnauthorizedResponse({ description: 'Not signed in as a rep.' })
  read(@CurrentRep() rep: RepIdentity): Promise<RepStatusResponse> {
    return this.status.read(rep.repId);
  }

  @Put()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Set yourself available or away (away: Next Customer is refused)' })
  @ApiOkResponse({ schema: STATUS_SCHEMA })
  @ApiBadRequestResponse({ description: 'The status is not "available" or "away".' })
  @ApiUnauthorizedResponse({ description: 'Not signed in as a rep.' })
  choose(@CurrentRep() rep: RepIdentity, @Body() body: RepStatusDto): Promise<RepStatusResponse> {
    return this.status.choose(rep.repId, body.status);
  }
}
