import type { ErrorCode } from '@servicekit/contracts';

/**
 * The base of every error the domain throws on purpose. It carries a code from the API contract
 * (`ERROR_CODES` in libs/contracts), which the exception filter turns into an HTTP status through one table,
 * and a message that is a sentence a person can act on.
 */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }

  /** What a client is told: the message, unless it names internals (then the subclass says less). */
  get publicMessage(): string {
    return this.message;
  }
}

/** Missing, malformed, expired or foreign credentials. */
export class UnauthenticatedError extends DomainError {
  readonly code = 'unauthorized';
}
