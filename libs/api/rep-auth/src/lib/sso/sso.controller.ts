import { Controller, Get, Logger, Req, Res, UseGuards } from '@nestjs/common';
import { ApiFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import { THROTTLERS } from '@servicekit/api/rate-limit';
import type { Request, Response } from 'express';
import { clearSsoStateCookie, cookie, setRepCookie, setSsoStateCookie, SSO_STATE_COOKIE } from '../http/rep-cookie';
import { RepAuthService } from '../rep-auth.service';
import { SsoRefusal, SsoSignIn } from './sso-sign-in.service';

const REP_APP = '/rep/';

/** The browser side of single sign-on: off to the provider, and back with a session (or a reason). */
@ApiTags('representatives')
@Controller('reps/sso')
export class SsoController {
  private readonly logger = new Logger('RepSignIn');

  constructor(
    private readonly sso: SsoSignIn,
    private readonly auth: RepAuthService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Start single sign-on: a redirect to the identity provider' })
  @ApiFoundResponse({ description: 'To the provider; or back to /rep/?sso_error=… when it cannot be reached.' })
  @UseGuards(ThrottlerGuard)
  @SkipThrottle({ [THROTTLERS.helpSessions]: true, [THROTTLERS.signInLogin]: true })
  async start(@Res() response: Response): Promise<void> {
    try {
      const { url, state } = await this.sso.start();
      setSsoStateCookie(response, state);
      response.redirect(302, url);
    } catch (error) {
      response.redirect(302, `${REP_APP}?sso_error=${error instanceof SsoRefusal ? error.code : 'failed'}`);
    }
  }

  @Get('callback')
  @ApiOperation({ summary: "The provider's redirect back: sets the session cookie and goes to the rep app" })
  @ApiFoundResponse({ description: 'To /rep/?signed-in=sso, or /rep/?sso_error=not-a-rep|state|failed|unavailable.' })
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    clearSsoStateCookie(response);
    try {
      const person = await this.sso.finish(request.originalUrl, cookie(request, SSO_STATE_COOKIE));
      const signedIn = await this.auth.withSso(person);
      setRepCookie(response, signedIn.response.token, signedIn.expiresAt);
      response.redirect(302, `${REP_APP}?signed-in=sso`);
    } catch (error) {
      const code = error instanceof SsoRefusal ? error.code : 'failed';
      this.logger.warn(`A single sign-on was refused (${code}): ${(error as Error).message}`);
      response.redirect(302, `${REP_APP}?sso_error=${code}`);
    }
  }
}
