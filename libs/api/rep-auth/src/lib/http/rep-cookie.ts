import type { CookieOptions, Request, Response } from 'express';
import { PENDING_TTL_SECONDS } from '../sso/sso-sign-in.service';

/**
 * The rep's session cookie. `__Host-` makes browsers refuse it unless it is Secure, for the whole origin
 * (Path=/) and without a Domain, so no other host or path can plant or read one. Secure is always set:
 * browsers accept Secure cookies over https and from http://localhost / 127.0.0.1 (a secure context), which
 * covers production and `npm start`. Over plain http on any other host the browser drops it; the rep app
 * still works with the bearer token of the sign-in answer, but single sign-on needs https there.
 */
export const REP_COOKIE = '__Host-sk_rep';
/** Binds a started single sign-on to this browser. Lax: the provider's redirect back is a cross-site navigation. */
export const SSO_STATE_COOKIE = '__Host-sk_sso';

const BASE: CookieOptions = { httpOnly: true, secure: true, path: '/' };

export function setRepCookie(response: Response, token: string, expiresAt: number): void {
  response.cookie(REP_COOKIE, token, { ...BASE, sameSite: 'strict', expires: new Date(expiresAt) });
}

export function clearRepCookie(response: Response): void {
  response.clearCookie(REP_COOKIE, { ...BASE, sameSite: 'strict' });
}

export function setSsoStateCookie(response: Response, state: string): void {
  response.cookie(SSO_STATE_COOKIE, state, { ...BASE, sameSite: 'lax', maxAge: PENDING_TTL_SECONDS * 1000 });
}

export function clearSsoStateCookie(response: Response): void {
  response.clearCookie(SSO_STATE_COOKIE, { ...BASE, sameSite: 'lax' });
}

export function cookie(request: Request, name: string): string | undefined {
  const value = (request as Request & { cookies?: Record<string, unknown> }).cookies?.[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
