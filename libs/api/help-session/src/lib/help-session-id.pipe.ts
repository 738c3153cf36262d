import { Injectable, PipeTransform } from '@nestjs/common';
import { HelpSessionNotFoundError } from './help-session.errors';

/**
 * A help session id as HelpSessionService.create makes it: 16 random bytes in base64url, 22 characters.
 * Anything else cannot exist, so it never reaches the store (where a space or a 240-character id is an
 * invalid key, counted as a store failure and answered 503).
 */
export const HELP_SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** The `:id` of every help-session route: an id that cannot exist is 404 at the edge, like one that expired. */
@Injectable()
export class HelpSessionIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !HELP_SESSION_ID_PATTERN.test(value)) throw new HelpSessionNotFoundError();
    return value;
  }
}
