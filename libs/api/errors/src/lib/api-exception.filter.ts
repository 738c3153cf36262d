import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { StoreError } from '@servicekit/api/store';
import type { ApiError, ErrorCode } from '@servicekit/contracts';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { DomainError } from './domain.error';
import { ERROR_STATUS } from './error-status';
import { JSON_TOO_DEEP, MAX_JSON_DEPTH } from './json-depth';
import { ValidationFailedException } from './validation';

/** The contract's codes for client errors by status; any other client error is a validation failure. */
const CLIENT_ERROR_CODE: Partial<Record<number, ErrorCode>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  429: 'rate_limited',
};

const API_DOCS = 'the API documentation at /api/docs';
const NO_SUCH_ENDPOINT = 'There is no such API endpoint. Check the method and the path.';

/**
 * Sentences for the client errors the libraries under us raise (body parser, router, static files), whose own
 * messages ("incorrect header check", "Failed to decode param '%'") are not written for people.
 */
function clientErrorSentence(status: number): string {
  switch (status) {
    case 400:
      return `The request could not be read. Check its path, headers and body against ${API_DOCS}.`;
    case 401:
      return 'This request needs valid credentials.';
    case 403:
      return 'This request is not allowed.';
    case 404:
      return NO_SUCH_ENDPOINT;
    case 405:
      return `This method is not allowed on this path. Check the method and the path against ${API_DOCS}.`;
    case 413:
      return 'The request is too large.';
    case 415:
      return 'The request body is in a format the API does not read. Send JSON with Content-Type "application/json".';
    default:
      return `The request could not be handled (${STATUS_CODES[status] ?? status}). Check it against ${API_DOCS}.`;
  }
}

/** A client error of the libraries under Nest (body parser, zlib, router), as http-errors shapes it. */
interface LibraryError {
  type?: string;
  status?: number;
  expose?: boolean;
  /** Set by zlib: the body did not decompress. */
  errno?: number;
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
    const body = toApiError(exception);
    if (body.statusCode >= 500 && body.code === 'internal') {
      // Never the request body: it may carry a customer's name or problem.
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (!response.headersSent) response.status(body.statusCode).json(body);
  }
}

/** Maps anything thrown while serving a request to the error body the API promises. */
export function toApiError(exception: unknown): ApiError {
  const make = (code: ErrorCode, message: string, details?: Record<string, string>, statusCode = ERROR_STATUS[code]): ApiError => ({
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
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

  const library = exception as LibraryError | null | undefined;
  switch (library?.type) {
    case 'entity.parse.failed':
      return make('malformed_json', 'The request body is not valid JSON. Send a JSON object.');
    case JSON_TOO_DEEP:
      return make(
        'validation_failed',
        `The request body is nested too deeply (more than ${MAX_JSON_DEPTH} levels). Send a flat JSON object.`,
      );
    case 'entity.too.large':
      return make('payload_too_large', 'The request body is too large. Keep the name and problem short.');
    case 'encoding.unsupported':
      return make(
        'validation_failed',
        'The API does not read this Content-Encoding. Send the body uncompressed, or compressed with gzip, deflate or br.',
        undefined,
        415,
      );
    case 'charset.unsupported':
      return make(
        'validation_failed',
        'The API reads JSON in UTF-8 only. Send the body as UTF-8, with Content-Type "application/json".',
        undefined,
        415,
      );
    case 'request.size.invalid':
      return make('validation_failed', 'The request body is not as long as its Content-Length header says. Send it again.');
    case 'request.aborted':
      return make('validation_failed', 'The request body ended before it was complete. Send it again.');
  }
  if (exception instanceof URIError) {
    return make(
      'validation_failed',
      'The request path is not valid: a "%" must be followed by two hexadecimal digits ("%25" for "%" itself).',
    );
  }
  const status = exception instanceof HttpException ? exception.getStatus() : library?.expose ? library.status : undefined;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (typeof library?.errno === 'number' && status === 400) {
      return make(
        'validation_failed',
        'The request body could not be decompressed: it does not match its Content-Encoding. Send it uncompressed, or compressed again.',
      );
    }
    return make(CLIENT_ERROR_CODE[status] ?? 'validation_failed', clientErrorSentence(status), undefined, status);
  }
  return make('internal', 'Something went wrong on our side. Please try again; if it keeps happening, tell the site owner.');
}
