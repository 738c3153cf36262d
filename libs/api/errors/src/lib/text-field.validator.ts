import { TextFieldRule, textFieldError } from '@servicekit/contracts';
import { Transform } from 'class-transformer';
import { ValidateBy, ValidationOptions } from 'class-validator';

/** Validates with the very rule (and sentence) the apps use, from libs/contracts. */
export function IsTextField(rule: TextFieldRule, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTextField',
      validator: {
        validate: (value: unknown) => textFieldError(value, rule) === null,
        defaultMessage: (args) => textFieldError(args?.value, rule) ?? `${rule.label} is not valid.`,
      },
    },
    options,
  );
}

/** Leading and trailing spaces do not count (the apps' rule); anything that is not text is left to validation. */
export function Trimmed(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
}
