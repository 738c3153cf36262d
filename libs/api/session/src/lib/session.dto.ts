import { CLAIM_WAIT_MAX_MS, HELP_SESSION_FIELDS, REP_SIGN_IN_FIELDS, TextFieldRule, textFieldError } from '@servicekit/contracts';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy, ValidationOptions } from 'class-validator';

/** Validates with the very rule (and sentence) the apps use, from libs/contracts. */
function IsTextField(rule: TextFieldRule, options?: ValidationOptions): PropertyDecorator {
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

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateHelpSessionDto {
  @Transform(trim)
  @IsTextField(HELP_SESSION_FIELDS.customerName)
  customerName!: string;

  @Transform(trim)
  @IsTextField(HELP_SESSION_FIELDS.problemText)
  problemText!: string;
}

export class RepSignInDto {
  @Transform(trim)
  @IsTextField(REP_SIGN_IN_FIELDS.name)
  name!: string;

  // Not trimmed: a passcode is compared exactly.
  @IsTextField(REP_SIGN_IN_FIELDS.passcode)
  passcode!: string;
}

export class ClaimNextDto {
  @IsOptional()
  @IsInt({ message: `waitMs must be a whole number of milliseconds from 0 to ${CLAIM_WAIT_MAX_MS}.` })
  @Min(0, { message: `waitMs must be a whole number of milliseconds from 0 to ${CLAIM_WAIT_MAX_MS}.` })
  @Max(CLAIM_WAIT_MAX_MS, { message: `waitMs must be a whole number of milliseconds from 0 to ${CLAIM_WAIT_MAX_MS}.` })
  waitMs?: number;
}
