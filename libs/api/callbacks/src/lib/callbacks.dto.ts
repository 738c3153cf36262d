import { ApiProperty } from '@nestjs/swagger';
import { IsTextField, Trimmed } from '@servicekit/api/errors';
import { CALLBACK_CONTACT_MISSING, CALLBACK_OUTCOMES, emailError, HELP_SESSION_FIELDS, phoneError } from '@servicekit/contracts';
import type { CallbackOutcome } from '@servicekit/contracts';
import { IsIn, IsOptional, Matches, ValidateBy, ValidateIf } from 'class-validator';

const HELP_SESSION_ID = /^[A-Za-z0-9_-]{22}$/;

/** A rule from libs/contracts with its sentence; `undefined` is the missing contact. */
function Contact(check: (value: unknown) => string | null): PropertyDecorator {
  return ValidateBy({
    name: 'callbackContact',
    validator: {
      validate: (value: unknown) => value !== undefined && check(value) === null,
      defaultMessage: (args) => (args?.value === undefined ? CALLBACK_CONTACT_MISSING : (check(args?.value) ?? CALLBACK_CONTACT_MISSING)),
    },
  });
}

export class CreateCallbackDto {
  @ApiProperty({ description: 'Trimmed.', maxLength: HELP_SESSION_FIELDS.customerName.max, example: 'Ada Lovelace' })
  @Trimmed()
  @IsTextField(HELP_SESSION_FIELDS.customerName)
  customerName!: string;

  @ApiProperty({ description: 'Trimmed.', maxLength: HELP_SESSION_FIELDS.problemText.max, example: 'My router blinks red.' })
  @Trimmed()
  @IsTextField(HELP_SESSION_FIELDS.problemText)
  problemText!: string;

  @ApiProperty({ required: false, description: 'A phone number or an email address (or both).', example: '+49 30 1234567' })
  // Checked when given, and when neither is given (then it says a contact is missing).
  @ValidateIf((dto: CreateCallbackDto) => dto.phone !== undefined || dto.email === undefined)
  @Trimmed()
  @Contact(phoneError)
  phone?: string;

  @ApiProperty({ required: false, example: 'ada@example.com' })
  @ValidateIf((dto: CreateCallbackDto) => dto.email !== undefined)
  @Trimmed()
  @Contact(emailError)
  email?: string;

  @ApiProperty({ required: false, description: "Leave the queue for this callback: needs that help session's customer token." })
  @IsOptional()
  @Matches(HELP_SESSION_ID, { message: 'The help session id must be the id your help session was given when you asked for help.' })
  helpSessionId?: string;
}

export class CallbackOutcomeDto {
  @ApiProperty({ enum: CALLBACK_OUTCOMES })
  @IsIn(CALLBACK_OUTCOMES, { message: 'The outcome must be "done" or "not_reached".' })
  outcome!: CallbackOutcome;
}
