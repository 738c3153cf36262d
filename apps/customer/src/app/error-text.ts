import type { ErrorCode } from '@servicekit/contracts';
import { ApiFailure } from '@servicekit/web/data-access';

/**
 * The API's sentences stay English; the page says each error `code` the customer app can get in the page's
 * language. A code without a sentence here falls back to the API's sentence.
 */
export const ERROR_TEXTS: Readonly<Partial<Record<ErrorCode | 'network', string>>> = {
  validation_failed: $localize`:@@error.validation:Some of what you typed needs a change: see the messages beside the fields.`,
  malformed_json: $localize`:@@error.malformed:The page sent something the server could not read. Reload the page and try again.`,
  payload_too_large: $localize`:@@error.tooLarge:What you typed is too long. Shorten it and try again.`,
  unauthorized: $localize`:@@error.unauthorized:Your request has expired. Reload the page and ask again.`,
  forbidden: $localize`:@@error.forbidden:This is not allowed from this page. Reload the page and ask again.`,
  not_found: $localize`:@@error.notFound:Your request was not found any more. You can ask again.`,
  help_session_ended: $localize`:@@error.ended:Your request has already ended. You can ask again.`,
  closed: $localize`:@@error.closed:We are closed right now, so we cannot take a video call. Leave a callback request and we will get back to you.`,
  intake_paused: $localize`:@@error.paused:We are not taking new video calls at the moment. Leave a callback request and we will get back to you.`,
  queue_full: $localize`:@@error.busy:We are very busy right now. Leave a callback request and we will get back to you as soon as we can.`,
  wait_too_long: $localize`:@@error.busy:We are very busy right now. Leave a callback request and we will get back to you as soon as we can.`,
  no_call: $localize`:@@error.noCall:There was no call to rate.`,
  already_rated: $localize`:@@error.alreadyRated:You have already rated this call. Thank you.`,
  rate_limited: $localize`:@@error.rateLimited:Too many requests. Wait a minute, then try again.`,
  store_unavailable: $localize`:@@error.unavailable:The service is having trouble right now. Please try again in a minute.`,
  video_unavailable: $localize`:@@error.video:The video service is not available right now. Please try again in a minute, or leave a callback request.`,
  internal: $localize`:@@error.internal:Something went wrong. Please try again.`,
  network: $localize`:@@error.network:The service cannot be reached. Check your connection and try again.`,
};

/** Something went wrong that was not the API's answer. */
export function somethingWentWrong(): string {
  return $localize`:@@error.generic:Something went wrong. Please try again.`;
}

/** The sentence for any failure: the translated one for its code, else the API's, else a generic one. */
export function errorText(error: unknown): string {
  if (error instanceof ApiFailure) return ERROR_TEXTS[error.code] ?? error.message;
  return somethingWentWrong();
}
