import { ApiProperty } from '@nestjs/swagger';
import { IsTextField, Trimmed } from '@servicekit/api/errors';
import { HELP_SESSION_FIELDS } from '@servicekit/contracts';

export class CreateHelpSessionDto {
  @ApiProperty({ description: 'Trimmed.', minLength: 1, maxLength: HELP_SESSION_FIELDS.customerName.max, example: 'Ada Lovelace' })
  @Trimmed()
  @IsTextField(HELP_SESSION_FIELDS.customerName)
  customerName!: string;

  @ApiProperty({ description: 'Trimmed.', minLength: 1, maxLength: HELP_SESSION_FIELDS.problemText.max, example: 'My router blinks red.' })
  @Trimmed()
  @IsTextField(HELP_SESSION_FIELDS.problemText)
  problemText!: string;
}
