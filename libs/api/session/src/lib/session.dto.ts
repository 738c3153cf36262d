import { CLAIM_WAIT_MAX_MS, HELP_SESSION_FIELDS, REP_SIGN_IN_FIELDS, TextFieldRule, textFieldError } from '@servicekit/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
  @ApiProperty({ description: 'Trimmed.', minLength: 1, maxLength: HELP_SESSION_FIELDS.customerName.max, example: 'Ada Lovelace' })
  @Transform(trim)
  @IsTextField(HELP_SESSION_FIELDS.customerName)
  customerName!: string;

  @ApiProperty({ description: 'Trimmed.', minLength: 1, maxLength: HELP_SESSION_FIELDS.problemText.max, example: 'My router blinks red.' })
  @Transform(trim)
  @IsTextField(HELP_SESSION_FIELDS.problemText)
  problemText!: string;
}

export class RepSignInDto {
  @ApiProperty({
    description: 'Display name shown to customers. Trimmed.',
    minLength: 1,
    maxLength: REP_SIGN_IN_FIELDS.name.max,
    example: 'Grace',
  })
  @Transform(trim)
  @IsTextField(REP_SIGN_IN_FIELDS.name)
  name!: string;

  @ApiProperty({
    description: 'The team passcode (REP_PASSCODE).',
    minLength: 1,
    maxLength: REP_SIGN_IN_FIELDS.passcode.max,
    format: 'password',
  })
  // Not trimmed: a passcode is compared exactly.
  @IsTextField(REP_SIGN_IN_FIELDS.passcode)
  passcode!: string;
}

const WAIT_MS_RULE = `The field "waitMs" must be a whole number of milliseconds from 0 to ${CLAIM_WAIT_MAX_MS}.`;

export class ClaimNextDto {
  @ApiPropertyOptional({
    description: 'Long poll: wait up to this long for a customer to arrive.',
    minimum: 0,
    maximum: CLAIM_WAIT_MAX_MS,
    default: 0,
  })
  @IsOptional()
  @IsInt({ message: WAIT_MS_RULE })
  @Min(0, { message: WAIT_MS_RULE })
  @Max(CLAIM_WAIT_MAX_MS, { message: WAIT_MS_RULE })
  waitMs?: number;
}
