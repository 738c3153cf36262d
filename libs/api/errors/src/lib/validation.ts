import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';

/** 400 with a sentence per field in `details`, the first one as `message`. */
export class ValidationFailedException extends BadRequestException {
  constructor(readonly details: Record<string, string>) {
    super(Object.values(details)[0] ?? 'The request is not valid.');
  }
}

/** Sets a detail as an own property, also for a field named `__proto__` (an assignment would set the prototype). */
function setDetail(details: Record<string, string>, field: string, message: string): void {
  Object.defineProperty(details, field, { value: message, enumerable: true, writable: true, configurable: true });
}

const BODY_NOT_AN_OBJECT = 'The request body must be a JSON object.';

/** A field name as the client wrote it, quoted and cut short: it is echoed back in a sentence. */
function quoted(field: string): string {
  const characters = Array.from(field);
  return JSON.stringify(characters.length > 40 ? `${characters.slice(0, 40).join('')}…` : field);
}

function unknownFieldMessage(field: string): string {
  return `This request does not accept the field ${quoted(field)}. Remove it.`;
}

/** Our DTOs give every rule a sentence; class-validator's own defaults ("property x should not exist") are not sentences. */
function messageFor(error: ValidationError): string {
  const constraints = error.constraints ?? {};
  if (constraints['whitelistValidation']) return unknownFieldMessage(error.property);
  return Object.values(constraints)[0] ?? `The field ${quoted(error.property)} is not valid.`;
}

/**
 * An error about the body as a whole rather than a field: class-validator's unknown value (no property), an
 * array's index, or Nest's stand-in for a body that is not an object ("Validation failed (object is expected)",
 * reported on the property "body").
 */
function isAboutTheBody(error: ValidationError): boolean {
  if (error.property === undefined || error.property === '' || /^\d+$/.test(error.property)) return true;
  return error.property === 'body' && error.constraints?.['isObject'] !== undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** The fields a DTO declares: those with a class-validator rule (what `whitelist` allows). */
function declaredFields(metatype: ArgumentMetadata['metatype']): Set<string> | null {
  if (typeof metatype !== 'function') return null;
  const rules = getMetadataStorage().getTargetValidationMetadatas(metatype, '', false, false);
  return rules.length === 0 ? null : new Set(rules.map((rule) => rule.propertyName));
}

/**
 * The global pipe. class-validator's whitelist looks at the object class-transformer built, and
 * class-transformer leaves out every key that names something the instance inherits (`toString`,
 * `constructor`, `valueOf`, `hasOwnProperty`…) and turns `__proto__` into the instance's prototype. So the
 * body's own keys are checked against the DTO's fields before the transformation, by exact name; the other
 * fields are still validated so that every problem is reported at once.
 */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const fields = metadata.type === 'body' && isPlainObject(value) ? declaredFields(metadata.metatype) : null;
    const unknown = fields && isPlainObject(value) ? Object.keys(value).filter((key) => !fields.has(key)) : [];
    if (unknown.length === 0) return super.transform(value, metadata);

    const details: Record<string, string> = {};
    for (const field of unknown) setDetail(details, field, unknownFieldMessage(field));
    const known = Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([key]) => fields?.has(key)));
    try {
      await super.transform(known, metadata);
    } catch (error) {
      if (!(error instanceof ValidationFailedException)) throw error;
      for (const [field, message] of Object.entries(error.details)) setDetail(details, field, message);
    }
    throw new ValidationFailedException(details);
  }
}

/**
 * Unknown fields, wrong types and missing values are 400 with a message per field; a body that is not a JSON
 * object (an array, a string) is 400 too.
 */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details: Record<string, string> = {};
      for (const error of errors) {
        if (isAboutTheBody(error)) {
          details['body'] = BODY_NOT_AN_OBJECT;
        } else {
          setDetail(details, error.property, messageFor(error));
        }
      }
      if (Object.keys(details).length === 0) details['body'] = BODY_NOT_AN_OBJECT;
      return new ValidationFailedException(details);
    },
  });
}
