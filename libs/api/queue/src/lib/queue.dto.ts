import { ApiPropertyOptional } from '@nestjs/swagger';
import { CLAIM_WAIT_MAX_MS } from '@servicekit/contracts';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

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
