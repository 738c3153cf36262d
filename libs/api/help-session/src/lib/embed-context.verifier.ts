import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ServiceKitConfig } from '@servicekit/api/config';
import { characterCount, EMBED_CONTEXT_RULES, HELP_SESSION_FIELDS } from '@servicekit/contracts';

/** What a host site vouches for about its customer. */
export interface EmbedContext {
  customerName: string;
  reference: string | null;
}

export type EmbedContextCheck = { valid: true; context: EmbedContext } | { valid: false; message: string };

/** A host's clock may run a little ahead of ours: `exp` may be this much beyond the limit. */
const CLOCK_SKEW_SECONDS = 60;

/**
 * Verifies the signed customer context a host site passes to the widget: an HS256 JWT signed with
 * EMBED_CONTEXT_SECRET, with `name`, an optional `reference` and an `exp` at most 10 minutes ahead. Only
 * HS256 is accepted (no `none`, no other algorithm). The token is never stored and never logged: only what
 * it vouches for is kept, with the help session.
 */
@Injectable()
export class EmbedContextVerifier {
  private readonly jwt: JwtService | null;

  constructor(config: ServiceKitConfig) {
    const secret = config.embed.contextSecret;
    this.jwt = secret === null ? null : new JwtService({ secret, verifyOptions: { algorithms: ['HS256'] } });
  }

  get enabled(): boolean {
    return this.jwt !== null;
  }

  check(token: string, nowMs = Date.now()): EmbedContextCheck {
    if (this.jwt === null) return invalid('This server accepts no context tokens (EMBED_CONTEXT_SECRET is not set).');
    // Bounded before any decoding: a token is a few hundred characters, the body limit is far more.
    if (token.length > EMBED_CONTEXT_RULES.tokenMax) {
      return invalid(`The context token is longer than ${EMBED_CONTEXT_RULES.tokenMax} characters: sign only name, reference and exp.`);
    }
    let claims: Record<string, unknown>;
    try {
      claims = this.jwt.verify<Record<string, unknown>>(token, { clockTimestamp: Math.floor(nowMs / 1000) });
    } catch (error) {
      return invalid(reasonOf(error));
    }
    return contextOf(claims, Math.floor(nowMs / 1000));
  }
}

function contextOf(claims: Record<string, unknown>, now: number): EmbedContextCheck {
  const { exp, name, reference } = claims;
  if (typeof exp !== 'number') return invalid('The context token has no expiry (exp): sign it to expire within 10 minutes.');
  if (exp > now + EMBED_CONTEXT_RULES.maxLifetimeSeconds + CLOCK_SKEW_SECONDS) {
    return invalid('The context token expires more than 10 minutes ahead: sign it to expire sooner.');
  }
  const customerName = typeof name === 'string' ? name.trim() : '';
  if (customerName.length === 0) return invalid('The context token has no name.');
  if (characterCount(customerName) > HELP_SESSION_FIELDS.customerName.max) {
    return invalid(`The name in the context token is longer than ${HELP_SESSION_FIELDS.customerName.max} characters.`);
  }
  if (reference !== undefined && reference !== null && typeof reference !== 'string') {
    return invalid('The reference in the context token must be text.');
  }
  const trimmed = reference?.trim() ?? '';
  if (characterCount(trimmed) > EMBED_CONTEXT_RULES.referenceMax) {
    return invalid(`The reference in the context token is longer than ${EMBED_CONTEXT_RULES.referenceMax} characters.`);
  }
  return { valid: true, context: { customerName, reference: trimmed.length > 0 ? trimmed : null } };
}

function reasonOf(error: unknown): string {
  switch ((error as Error).name) {
    case 'TokenExpiredError':
      return 'The context token has expired: sign a new one for each page view.';
    case 'NotBeforeError':
      return 'The context token is not valid yet (nbf).';
    default:
      return /signature|algorithm/i.test((error as Error).message)
        ? 'The context token is not signed with this server’s EMBED_CONTEXT_SECRET (HS256).'
        : 'The context token is not a well-formed JWT.';
  }
}

const invalid = (message: string): EmbedContextCheck => ({ valid: false, message });
