import { ApiProperty } from '@nestjs/swagger';
import { IsTextField, Trimmed } from '@servicekit/api/errors';
import { REP_SIGN_IN_FIELDS } from '@servicekit/contracts';

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
    description: 'The team passcode (REP_PASSCODE).',
    minLength: 1,
    maxLength: REP_SIGN_IN_FIELDS.passcode.max,
    format: 'password',
  })
  // Not trimmed: a passcode is compared exactly.
  @IsTextField(REP_SIGN_IN_FIELDS.passcode)
  passcode!: string;
}
