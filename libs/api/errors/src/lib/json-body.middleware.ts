import { json } from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { toApiError } from './api-exception.filter';

/**
 * JSON bodies up to `limit`. A malformed or oversized body is answered here, at once, as 400/413 with our
 * error shape: parser failures never reach a route, and never become a 404 or a 500.
 */
export function jsonBody(limit: string): RequestHandler {
  const parse = json({ limit, strict: true });
  return (request: Request, response: Response, next: NextFunction) => {
    parse(request, response, (error?: unknown) => {
      if (!error) return next();
      const body = toApiError(error);
      response.status(body.statusCode).json(body);
    });
  };
}
