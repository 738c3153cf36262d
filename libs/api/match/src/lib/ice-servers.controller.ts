import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { RepGuard } from '@servicekit/api/rep-auth';
import { IceServers } from '@servicekit/api/video';
import type { IceConfiguration } from '@servicekit/contracts';

/** Long enough for a pre-call check and a retry or two; calls get their own credentials with each match. */
export const PRE_CALL_ICE_TTL_SECONDS = 10 * 60;

@ApiTags('video')
@ApiBearerAuth('rep')
@Controller('video')
export class IceServersController {
  constructor(private readonly iceServers: IceServers) {}

  /** STUN and TURN with short-lived credentials for the rep's pre-call check (customers get theirs with the help session). */
  @Get('ice-servers')
  @ApiOperation({ summary: "STUN and TURN servers with short-lived credentials, for the rep's pre-call check" })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
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
  })
  @ApiUnauthorizedResponse({ description: 'Not signed in as a rep.' })
  @UseGuards(RepGuard)
  iceServersForCheck(): IceConfiguration {
    return this.iceServers.configuration(PRE_CALL_ICE_TTL_SECONDS);
  }
}
