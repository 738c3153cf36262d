import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/** 400 with a sentence per field in `details`, the first one as `message`. */
export class ValidationFailedException extends BadRequestException {
  constructor(readonly details: Record<string, string>) {
    super(Object.values(details)[0] ?? 'The request is not valid.');
  }
}

function messageFor(error: ValidationError): string {
  const constraints = error.constraints ?? {};
  if (constraints['whitelistValidation']) return `"${error.property}" is not a field this request accepts. Remove it.`;
  return Object.values(constraints)[0] ?? `${error.property} is not valid.`;
}

/**
 * Unknown fields, wrong types and missing values are 400 with a message per field; a body that is not a JSON
 * object (an array, a string) is 400 too.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details: Record<string, string> = {};
      for (const error of errors) {
        if (error.property === undefined || error.property === '' || /^\d+$/.test(error.property)) {
          details['body'] = 'The request body must be a JSON object.';
        } else {
          details[error.property] = messageFor(error);
        }
      }
      if (Object.keys(details).length === 0) details['body'] = 'The request body must be a JSON object.';
      return new ValidationFailedException(details);
    },
  });
}
