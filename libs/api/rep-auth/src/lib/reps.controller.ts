import { Body, Controller, Delete, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import { THROTTLERS } from '@servicekit/api/rate-limit';
import type { RepSignInResponse } from '@servicekit/contracts';
import type { Request, Response } from 'express';
import { REP_COOKIE } from './auth.guards';
import { RepAuthService } from './rep-auth.service';
import { RepSignInDto } from './rep-auth.dto';

@ApiTags('representatives')
@Controller('reps/sessions')
export class RepsController {
  constructor(private readonly auth: RepAuthService) {}

  /** Returns the rep token and sets it as an httpOnly cookie for the rep app. Rate-limited per address. */
  @Post()
  @ApiOperation({ summary: 'Sign in as a rep: a rep token, also set as an httpOnly cookie' })
  @ApiCreatedResponse({
    schema: {
      type: 'object',
      properties: { token: { type: 'string' }, name: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } },
    },
  })
  @ApiBadRequestResponse({ description: 'Validation failed.' })
  @ApiUnauthorizedResponse({ description: 'Wrong passcode.' })
  @ApiTooManyRequestsResponse({ description: 'SIGN_IN_RATE_LIMIT per client address per minute.' })
  @UseGuards(ThrottlerGuard)
  @SkipThrottle({ [THROTTLERS.helpSessions]: true })
  signIn(@Body() body: RepSignInDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): RepSignInResponse {
    const result = this.auth.signIn(body.name, body.passcode);
    response.cookie(REP_COOKIE, result.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: request.secure,
      path: '/api',
      expires: new Date(result.expiresAt),
    });
    return result;
  }

  /** Signs out of this browser: the cookie goes; the token itself expires on its own. */
  @Delete()
  @ApiOperation({ summary: 'Sign out of this browser (clears the cookie)' })
  @ApiNoContentResponse({ description: 'Signed out.' })
  @HttpCode(204)
  signOut(@Res({ passthrough: true }) response: Response): void {
    response.clearCookie(REP_COOKIE, { path: '/api' });
  }
}
