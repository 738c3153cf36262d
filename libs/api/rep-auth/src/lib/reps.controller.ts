import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import { ServiceKitConfig } from '@servicekit/api/config';
import { UnauthenticatedError } from '@servicekit/api/errors';
import { THROTTLERS } from '@servicekit/api/rate-limit';
import type { RepSessionResponse, RepSignInOptions, RepSignOutResponse } from '@servicekit/contracts';
import type { Request, Response } from 'express';
import { bearer, CurrentRepSession, RepGuard } from './auth.guards';
import { clearRepCookie, cookie, REP_COOKIE, setRepCookie } from './http/rep-cookie';
import { requireSameOrigin } from './http/same-origin';
import { AccountSignInDto, RepSignInDto } from './rep-auth.dto';
import { RepAuthService, SignedIn } from './rep-auth.service';
import { RepAuthenticator } from './sessions/rep-authenticator';
import type { RepSessionRecord } from './sessions/rep-session';

const SESSION_SCHEMA = {
  type: 'object',
  properties: {
    token: { type: 'string' },
    repId: { type: 'string' },
    name: { type: 'string' },
    roles: { type: 'array', items: { type: 'string', enum: ['rep', 'supervisor'] } },
    via: { type: 'string', enum: ['passcode', 'account', 'sso'] },
    expiresAt: { type: 'string', format: 'date-time' },
  },
};

@ApiTags('representatives')
@Controller('reps')
export class RepsController {
  private readonly publicUrl: string | null;

  constructor(
    private readonly auth: RepAuthService,
    private readonly authenticator: RepAuthenticator,
    config: ServiceKitConfig,
  ) {
    this.publicUrl = config.publicUrl;
  }

  @Get('sign-in')
  @ApiOperation({ summary: 'The ways to sign in that this deployment offers (passcode, accounts, single sign-on)' })
  @ApiOkResponse({ description: '`{passcode, accounts, sso: {providerName} | null}`' })
  options(): RepSignInOptions {
    return this.auth.options();
  }

  /** Returns the rep token and sets it as the session cookie. Rate-limited per address. */
  @Post('sessions')
  @ApiOperation({ summary: 'Sign in with the team (or supervisor) passcode: a rep session, also set as a cookie' })
  @ApiCreatedResponse({ schema: SESSION_SCHEMA })
  @ApiBadRequestResponse({ description: 'Validation failed.' })
  @ApiUnauthorizedResponse({ description: 'Wrong passcode.' })
  @ApiForbiddenResponse({ description: 'The passcode is turned off (accounts or single sign-on are configured).' })
  @ApiTooManyRequestsResponse({ description: 'SIGN_IN_RATE_LIMIT per client address per minute.' })
  @UseGuards(ThrottlerGuard)
  @SkipThrottle({ [THROTTLERS.helpSessions]: true, [THROTTLERS.signInLogin]: true })
  async signIn(@Body() body: RepSignInDto, @Res({ passthrough: true }) response: Response): Promise<RepSessionResponse> {
    return this.handOut(await this.auth.withPasscode(body.name, body.passcode), response);
  }

  @Post('sessions/account')
  @ApiOperation({ summary: 'Sign in with a personal account (REP_ACCOUNTS_FILE): a rep session, also set as a cookie' })
  @ApiCreatedResponse({ schema: SESSION_SCHEMA })
  @ApiBadRequestResponse({ description: 'Validation failed.' })
  @ApiUnauthorizedResponse({ description: 'Unknown login or wrong password (the same answer for both).' })
  @ApiTooManyRequestsResponse({ description: 'SIGN_IN_RATE_LIMIT per client address, and per login, per minute.' })
  @UseGuards(ThrottlerGuard)
  @SkipThrottle({ [THROTTLERS.helpSessions]: true })
  async signInWithAccount(@Body() body: AccountSignInDto, @Res({ passthrough: true }) response: Response): Promise<RepSessionResponse> {
    return this.handOut(await this.auth.withAccount(body.login, body.password), response);
  }

  /** The rep app asks this after a single sign-on redirect, which leaves only the cookie. */
  @Get('sessions/current')
  @ApiOperation({ summary: 'The signed-in rep (cookie or bearer), with a token for the presence socket' })
  @ApiOkResponse({ schema: SESSION_SCHEMA })
  @ApiUnauthorizedResponse({ description: 'Not signed in, or the session ended (the message says why).' })
  @UseGuards(RepGuard)
  current(@CurrentRepSession() record: RepSessionRecord): RepSessionResponse {
    return this.auth.current(record).response;
  }

  /** Ends the session on every instance (its token is refused from now on) and clears the cookie. */
  @Delete('sessions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign out: the session ends everywhere; after single sign-on, the provider sign-out URL' })
  @ApiOkResponse({ description: '`{logoutUrl?}`' })
  @ApiForbiddenResponse({ description: 'A cookie-authenticated request from another origin.' })
  async signOut(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<RepSignOutResponse> {
    const token = bearer(request) ?? cookie(request, REP_COOKIE);
    if (token && !bearer(request)) requireSameOrigin(request, this.publicUrl);
    clearRepCookie(response);
    if (!token) return {};
    let record: RepSessionRecord;
    try {
      record = await this.authenticator.fromToken(token);
    } catch (error) {
      // Already ended or never valid: signed out is what the caller wants.
      if (error instanceof UnauthenticatedError) return {};
      throw error;
    }
    const logoutUrl = await this.auth.signOut(record);
    return logoutUrl ? { logoutUrl } : {};
  }

  private handOut(signedIn: SignedIn, response: Response): RepSessionResponse {
    setRepCookie(response, signedIn.response.token, signedIn.expiresAt);
    return signedIn.response;
  }
}
