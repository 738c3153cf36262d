import { ApiProperty } from '@nestjs/swagger';
import { IsTextField, Trimmed } from '@servicekit/api/errors';
import { CHAT_FIELDS } from '@servicekit/contracts';

export class SendChatMessageDto {
  @ApiProperty({ description: 'Plain text, trimmed; shown as text, never as HTML.', minLength: 1, maxLength: CHAT_FIELDS.text.max })
  @Trimmed()
  @IsTextField(CHAT_FIELDS.text)
  text!: string;
}
