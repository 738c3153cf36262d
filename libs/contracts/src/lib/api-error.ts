/** Machine-readable reasons carried by every error response, beside the human sentence in `message`. */
export const ERROR_CODES = [
  'validation_failed',
  'malformed_json',
  'payload_too_large',
  'unauthorized',
  'forbidden',
  'not_found',
  'help_session_ended',
  'already_taken',
  'closed',
  'intake_paused',
  'queue_full',
  'wait_too_long',
  'no_call',
  'already_rated',
  'rep_away',
  'rep_wrap_up',
  'rate_limited',
  'store_unavailable',
  'video_unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The body of every error response: `message` is a sentence a person can act on. */
export interface ApiError {
  statusCode: number;
  error: string;
  code: ErrorCode;
  message: string;
  /** For validation errors: a message per field, by field name. */
  details?: Record<string, string>;
}

export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ApiError>;
  return typeof candidate.statusCode === 'number' && typeof candidate.message === 'string';
}
