export { ApiExceptionFilter, toApiError } from './lib/api-exception.filter';
export { jsonBody } from './lib/json-body.middleware';
export { answerProtocolErrors } from './lib/protocol-errors';
export { createValidationPipe, ValidationFailedException } from './lib/validation';
export { DomainError, UnauthenticatedError } from './lib/domain.error';
export { ERROR_STATUS } from './lib/error-status';
export { IsTextField, Trimmed } from './lib/text-field.validator';
