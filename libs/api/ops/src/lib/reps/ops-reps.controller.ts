import { Controller, Delete, Get, Header, HttpCode, Logger, Param, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@servicekit/api/errors';
import { type AuthenticatedRequest, RepAuthService, RepSessions } from '@servicekit/api/rep-auth';
import type { OpsRepsResponse } from '@servicekit/contracts';
import { OperatorGuard } from '../auth/operator.guard';
import { RepsOnline } from './reps-online.service';

class RepNotSignedInError extends DomainError {
  readonly code = 'not_found';
}

@ApiTags('operators')
@ApiBearerAuth('operator')
@Controller('ops/reps')
@UseGuards(OperatorGuard)
export class OpsRepsController {
  private readonly logger = new Logger('Supervisor');

  constructor(
    private readonly online: RepsOnline,
    private readonly sessions: RepSessions,
    private readonly auth: RepAuthService,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The reps signed in now: name, status, in a call or not, since when, and today’s calls' })
  @ApiOkResponse({ description: 'OpsRepsResponse (libs/contracts).' })
  reps(): Promise<OpsRepsResponse> {
    return this.online.view();
  }

  /** Signs a rep out everywhere: their token is refused from now on and their console is told and closed. */
  @Delete(':repId/session')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign a rep out (their session ends on every instance; their console says so)' })
  @ApiNoContentResponse({ description: 'Signed out.' })
  @ApiNotFoundResponse({ description: 'That rep is not signed in (any more).' })
  async signOut(@Param('repId') repId: string, @Req() request: AuthenticatedRequest): Promise<void> {
    const session = await this.sessions.find(repId);
    if (!session) throw new RepNotSignedInError('That rep is not signed in any more. Refresh the list.');
    const by = request.rep;
    await this.auth.signOut(session, 'by-supervisor', by);
    if (!by) this.logger.log(`Rep ${session.name} (${session.repId}) signed out with the operator token`);
  }
}
