export { ApiExceptionFilter, toApiError } from './lib/api-exception.filter';
export { jsonBody } from './lib/json-body.middleware';
export { createValidationPipe, ValidationFailedException } from './lib/validation';
