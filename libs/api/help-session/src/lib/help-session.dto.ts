import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsTextField, Trimmed } from '@servicekit/api/errors';
import { HELP_SESSION_FIELDS } from '@servicekit/contracts';
import { IsOptional, IsString } from 'class-validator';

const CONTEXT_DESCRIPTION =
  'A context token from the host site (HS256 JWT signed with EMBED_CONTEXT_SECRET: `name`, optional `reference`, `exp` at most 10 minutes ahead).';

export class CreateHelpSessionDto {
  @ApiProperty({ description: 'Trimmed.', minLength: 1, maxLength: HELP_SESSION_FIELDS.customerName.max, example: 'Ada Lovelace' })
  @Trimmed()
  @IsTextField(HELP_SESSION_FIELDS.customerName)
  customerName!: string;

  @ApiProperty({ description: 'Trimmed.', minLength: 1, maxLength: HELP_SESSION_FIELDS.problemText.max, example: 'My router blinks red.' })
  @Trimmed()
  @IsTextField(HELP_SESSION_FIELDS.problemText)
  problemText!: string;

  @ApiPropertyOptional({
    description: `${CONTEXT_DESCRIPTION} A bad, expired or foreign one is ignored: the response says \`context: "ignored"\`.`,
  })
  @IsOptional()
  @IsString({ message: 'The context must be the context token, as text.' })
  context?: string;
}

export class CheckContextDto {
  @ApiProperty({ description: CONTEXT_DESCRIPTION })
  @IsString({ message: 'The context must be the context token, as text.' })
  context!: string;
}
