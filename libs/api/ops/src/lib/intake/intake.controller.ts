import { Body, Controller, Get, Header, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { IntakeService } from '@servicekit/api/hours';
import { IntakeStateResponse, PAUSE_MAX_MINUTES } from '@servicekit/contracts';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { OperatorGuard } from '../auth/operator.guard';

const MINUTES_MESSAGE = `The length of the pause (minutes) must be a whole number from 1 to ${PAUSE_MAX_MINUTES}.`;

export class PauseIntakeDto {
  @ApiProperty({ required: false, minimum: 1, maximum: PAUSE_MAX_MINUTES, description: 'Default and maximum: 12 hours.' })
  @IsOptional()
  @IsInt({ message: MINUTES_MESSAGE })
  @Min(1, { message: MINUTES_MESSAGE })
  @Max(PAUSE_MAX_MINUTES, { message: MINUTES_MESSAGE })
  minutes?: number;
}

const INTAKE_SCHEMA = {
  schema: {
    type: 'object',
    properties: {
      paused: { type: 'boolean' },
      pausedUntil: { type: 'string', nullable: true },
      withinOpeningHours: { type: 'boolean' },
      opensAt: { type: 'string', nullable: true },
    },
  },
};

/**
 * Operators pause and resume intake: waiting customers stay and are served; new arrivals get 409
 * `intake_paused` (and the callback form). The pause lives in the store, so every instance agrees, and ends by
 * itself at the latest after 12 hours.
 */
@ApiTags('operators')
@ApiBearerAuth('operator')
@ApiUnauthorizedResponse({ description: 'Missing or wrong operator token.' })
@Controller('ops/intake')
@UseGuards(OperatorGuard)
export class IntakeController {
  constructor(private readonly intake: IntakeService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Whether intake is paused, and the opening hours now' })
  @ApiOkResponse(INTAKE_SCHEMA)
  state(): Promise<IntakeStateResponse> {
    return this.intake.intakeState();
  }

  @Post('pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause intake (new arrivals are turned to the callback form)' })
  @ApiOkResponse(INTAKE_SCHEMA)
  pause(@Body() body: PauseIntakeDto): Promise<IntakeStateResponse> {
    return this.intake.pause(body.minutes);
  }

  @Post('resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume intake' })
  @ApiOkResponse(INTAKE_SCHEMA)
  resume(): Promise<IntakeStateResponse> {
    return this.intake.resume();
  }
}
