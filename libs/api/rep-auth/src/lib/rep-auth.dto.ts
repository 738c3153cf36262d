import { ApiProperty } from '@nestjs/swagger';
import { IsTextField, Trimmed } from '@servicekit/api/errors';
import { ACCOUNT_SIGN_IN_FIELDS, REP_SIGN_IN_FIELDS } from '@servicekit/contracts';

export class RepSignInDto {
  @ApiProperty({
    description: 'Display name shown to customers. Trimmed.',
    minLength: 1,
    maxLength: REP_SIGN_IN_FIELDS.name.max,
    example: 'Grace',
  })
  @Trimmed()
  @IsTextField(REP_SIGN_IN_FIELDS.name)
  name!: string;

  @ApiProperty({
    description: 'The team passcode (REP_PASSCODE), or the supervisor passcode (SUPERVISOR_PASSCODE).',
    minLength: 1,
    maxLength: REP_SIGN_IN_FIELDS.passcode.max,
    format: 'password',
  })
  // Not trimmed: a passcode is compared exactly.
  @IsTextField(REP_SIGN_IN_FIELDS.passcode)
  passcode!: string;
}

export class AccountSignInDto {
  @ApiProperty({ description: 'The login of a REP_ACCOUNTS_FILE account. Trimmed; case does not matter.', example: 'ada' })
  @Trimmed()
  @IsTextField(ACCOUNT_SIGN_IN_FIELDS.login)
  login!: string;

  @ApiProperty({ description: 'The account password.', format: 'password', maxLength: ACCOUNT_SIGN_IN_FIELDS.password.max })
  // Not trimmed: a password is compared exactly.
  @IsTextField(ACCOUNT_SIGN_IN_FIELDS.password)
  password!: string;
}
