import type { ErrorCode } from '@servicekit/contracts';

/** The HTTP status of each error code: one table for every error the API answers with. */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  validation_failed: 400,
  malformed_json: 400,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  help_session_ended: 409,
  already_taken: 409,
  closed: 409,
  intake_paused: 409,
  queue_full: 409,
  wait_too_long: 409,
  no_call: 409,
  already_rated: 409,
  rep_away: 409,
  rep_wrap_up: 409,
  rate_limited: 429,
  store_unavailable: 503,
  video_unavailable: 503,
  internal: 500,
};
