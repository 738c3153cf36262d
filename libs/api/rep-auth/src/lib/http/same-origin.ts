import type { Request } from 'express';
import { DomainError } from '@servicekit/api/errors';

export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for requests that a cookie authenticates: a state-changing request must come from this
 * origin. The cookie is SameSite=Strict, but "same site" ignores ports and sibling subdomains; Origin does
 * not. Browsers send Origin on every cross-origin request and on same-origin ones that are not GET or HEAD;
 * Sec-Fetch-Site covers a browser that left it out.
 */
export function requireSameOrigin(request: Request, publicUrl: string | null): void {
  if (SAFE_METHODS.has(request.method)) return;
  const expected = publicUrl ?? `${request.protocol}://${request.get('host') ?? ''}`;
  const origin = request.get('origin');
  if (origin === undefined ? request.get('sec-fetch-site') === 'same-origin' : origin === expected) return;
  throw new ForbiddenError(
    `This request came from ${origin ? `another site (${origin})` : 'a page that did not say where it came from'}, so your sign-in was not used for it. Open Service Kit itself and try again there.`,
  );
}
