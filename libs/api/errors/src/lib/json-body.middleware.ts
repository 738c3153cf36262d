import { json } from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { toApiError } from './api-exception.filter';
import { JSON_TOO_DEEP, jsonNestingExceeds, MAX_JSON_DEPTH } from './json-depth';

function tooDeep(): Error {
  return Object.assign(new Error(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`), { type: JSON_TOO_DEEP, status: 400 });
}

function notUtf8(charset: string): Error {
  return Object.assign(new Error(`The charset ${JSON.stringify(charset)} is not UTF-8.`), { type: 'charset.unsupported', status: 415 });
}

/**
 * JSON bodies up to `limit` and MAX_JSON_DEPTH levels. A malformed, oversized or too deeply nested body is
 * answered here, at once, as 4xx with our error shape: parser failures never reach a route, and never
 * become a 404 or a 500.
 */
export function jsonBody(limit: string): RequestHandler {
  const parse = json({
    limit,
    strict: true,
    // Runs on the (decompressed) bytes before JSON.parse, so nothing ever builds the deep value. JSON is
    // UTF-8 (RFC 8259); other Unicode charsets would also hide quotes and brackets from the byte scan.
    verify: (_request, _response, bytes, charset) => {
      if (charset !== 'utf-8') throw notUtf8(charset);
      if (jsonNestingExceeds(bytes, MAX_JSON_DEPTH)) throw tooDeep();
    },
  });
  return (request: Request, response: Response, next: NextFunction) => {
    parse(request, response, (error?: unknown) => {
      if (!error) return next();
      const body = toApiError(error);
      response.status(body.statusCode).json(body);
    });
  };
}
