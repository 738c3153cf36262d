import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, ServiceUnavailableException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { AlreadyClaimedError, QueueBusyError, QueueContentionError } from '@servicekit/api/queue';
import {
  AlreadyTakenError,
  HelpSessionEndedError,
  HelpSessionNotFoundError,
  NotInQueueError,
  UnauthenticatedError,
} from '@servicekit/api/session';
import { StoreError } from '@servicekit/api/store';
import { VideoUnavailableError } from '@servicekit/api/video';
import type { ApiError, ErrorCode } from '@servicekit/contracts';
import type { Response } from 'express';
import { JSON_TOO_DEEP, MAX_JSON_DEPTH } from './json-depth';
import { ValidationFailedException } from './validation';

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** A body-parser failure, as Express reports it. */
interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/**
 * The one place where errors become HTTP answers: `{statusCode, error, code, message, details?}`, with a
 * sentence a person can act on. Domain errors map to 4xx/503; only the unexpected is a 500 (and logged).
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const response = host.switchToHttp().getResponse<Response>();
    if (isHealthCheckFailure(exception)) {
      // Readiness (terminus) names the failed check in its own body: keep it as it is.
      response.status(503).json(exception.getResponse());
      return;
    }
    const body = toApiError(exception);
    if (body.statusCode >= 500 && body.code === 'internal') {
      // Never the request body: it may carry a customer's name or problem.
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (!response.headersSent) response.status(body.statusCode).json(body);
  }
}

function isHealthCheckFailure(exception: unknown): exception is ServiceUnavailableException {
  if (!(exception instanceof ServiceUnavailableException)) return false;
  const body = exception.getResponse() as { status?: unknown; details?: unknown };
  return body.status === 'error' && typeof body.details === 'object';
}

/** Maps anything thrown while serving a request to the error body the API promises. */
export function toApiError(exception: unknown): ApiError {
  const make = (statusCode: number, code: ErrorCode, message: string, details?: Record<string, string>): ApiError => ({
    statusCode,
    error: REASON[statusCode] ?? 'Error',
    code,
    message,
    ...(details ? { details } : {}),
  });

  if (exception instanceof ValidationFailedException) return make(400, 'validation_failed', exception.message, exception.details);
  if (exception instanceof UnauthenticatedError) return make(401, 'unauthorized', exception.message);
  if (exception instanceof HelpSessionNotFoundError) return make(404, 'not_found', exception.message);
  if (exception instanceof NotInQueueError) return make(404, 'not_found', exception.message);
  if (exception instanceof HelpSessionEndedError) return make(409, 'help_session_ended', exception.message);
  if (exception instanceof AlreadyTakenError || exception instanceof AlreadyClaimedError) {
    return make(409, 'already_taken', exception.message);
  }
  if (exception instanceof QueueBusyError || exception instanceof QueueContentionError) {
    return make(503, 'store_unavailable', exception.message);
  }
  if (exception instanceof StoreError) {
    return make(503, 'store_unavailable', 'The service cannot reach its data store right now. Please try again in a moment.');
  }
  if (exception instanceof VideoUnavailableError) {
    return make(503, 'video_unavailable', 'Video calls are unavailable right now. Please try again in a moment.');
  }
  if (exception instanceof ThrottlerException) {
    return make(429, 'rate_limited', 'Too many requests from your address. Please wait a minute and try again.');
  }

  const parserError = exception as BodyParserError;
  if (parserError?.type === 'entity.parse.failed') {
    return make(400, 'malformed_json', 'The request body is not valid JSON. Send a JSON object.');
  }
  if (parserError?.type === JSON_TOO_DEEP) {
    return make(
      400,
      'validation_failed',
      `The request body is nested too deeply (more than ${MAX_JSON_DEPTH} levels). Send a flat JSON object.`,
    );
  }
  if (parserError?.type === 'entity.too.large') {
    return make(413, 'payload_too_large', 'The request body is too large. Keep the name and problem short.');
  }
  if (parserError?.expose && typeof parserError.status === 'number' && parserError.status < 500) {
    return make(parserError.status, 'validation_failed', (exception as Error).message);
  }

  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === HttpStatus.NOT_FOUND) return make(404, 'not_found', 'There is no such API endpoint. Check the method and the path.');
    if (status < 500) return make(status, status === 401 ? 'unauthorized' : 'validation_failed', exception.message);
  }
  return make(500, 'internal', 'Something went wrong on our side. Please try again; if it keeps happening, tell the site owner.');
}
