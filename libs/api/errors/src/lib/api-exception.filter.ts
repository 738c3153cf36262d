import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, ServiceUnavailableException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { StoreError } from '@servicekit/api/store';
import type { ApiError, ErrorCode } from '@servicekit/contracts';
import type { Response } from 'express';
import { DomainError } from './domain.error';
import { ERROR_STATUS } from './error-status';
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
 * sentence a person can act on. Domain errors carry their code (the status comes from ERROR_STATUS); only
 * the unexpected is a 500 (and logged).
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
  const make = (code: ErrorCode, message: string, details?: Record<string, string>, statusCode = ERROR_STATUS[code]): ApiError => ({
    statusCode,
    error: REASON[statusCode] ?? 'Error',
    code,
    message,
    ...(details ? { details } : {}),
  });

  if (exception instanceof ValidationFailedException) return make('validation_failed', exception.message, exception.details);
  if (exception instanceof DomainError) return make(exception.code, exception.publicMessage);
  // The store port's one error: its message is for operators (it names servers), never for clients.
  if (exception instanceof StoreError) {
    return make('store_unavailable', 'The service cannot reach its data store right now. Please try again in a moment.');
  }
  if (exception instanceof ThrottlerException) {
    return make('rate_limited', 'Too many requests from your address. Please wait a minute and try again.');
  }

  const parserError = exception as BodyParserError;
  if (parserError?.type === 'entity.parse.failed') {
    return make('malformed_json', 'The request body is not valid JSON. Send a JSON object.');
  }
  if (parserError?.type === 'entity.too.large') {
    return make('payload_too_large', 'The request body is too large. Keep the name and problem short.');
  }
  if (parserError?.expose && typeof parserError.status === 'number' && parserError.status < 500) {
    return make('validation_failed', (exception as Error).message, undefined, parserError.status);
  }

  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === HttpStatus.NOT_FOUND) return make('not_found', 'There is no such API endpoint. Check the method and the path.');
    if (status < 500) return make(status === 401 ? 'unauthorized' : 'validation_failed', exception.message, undefined, status);
  }
  return make('internal', 'Something went wrong on our side. Please try again; if it keeps happening, tell the site owner.');
}
