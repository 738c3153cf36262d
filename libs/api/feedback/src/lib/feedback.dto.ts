import { ApiProperty } from '@nestjs/swagger';
import { characterCount, FEEDBACK_COMMENT_MAX, FEEDBACK_COMMENT_MESSAGE, FEEDBACK_RATING_MESSAGE } from '@servicekit/contracts';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min, ValidateBy } from 'class-validator';

export class FeedbackDto {
  @ApiProperty({ description: 'The help session of the call; the bearer token must be its customer token.' })
  @Matches(/^[A-Za-z0-9_-]{22}$/, { message: 'The help session id must be the id your help session was given when you asked for help.' })
  helpSessionId!: string;

  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt({ message: FEEDBACK_RATING_MESSAGE })
  @Min(1, { message: FEEDBACK_RATING_MESSAGE })
  @Max(5, { message: FEEDBACK_RATING_MESSAGE })
  rating!: number;

  @ApiProperty({ required: false, maxLength: FEEDBACK_COMMENT_MAX, description: 'Trimmed; kept FEEDBACK_COMMENT_RETENTION_DAYS.' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @ValidateBy({
    name: 'feedbackComment',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && characterCount(value) <= FEEDBACK_COMMENT_MAX,
      defaultMessage: () => FEEDBACK_COMMENT_MESSAGE,
    },
  })
  comment?: string;
}
