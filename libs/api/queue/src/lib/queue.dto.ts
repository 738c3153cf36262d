import { ApiPropertyOptional } from '@nestjs/swagger';
import { CLAIM_WAIT_MAX_MS } from '@servicekit/contracts';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class ClaimNextDto {
  @ApiPropertyOptional({
    description: 'Long poll: wait up to this long for a customer to arrive.',
    minimum: 0,
    maximum: CLAIM_WAIT_MAX_MS,
    default: 0,
  })
  @IsOptional()
  @IsInt({ message: `waitMs must be a whole number of milliseconds from 0 to ${CLAIM_WAIT_MAX_MS}.` })
  @Min(0, { message: `waitMs must be a whole number of milliseconds from 0 to ${CLAIM_WAIT_MAX_MS}.` })
  @Max(CLAIM_WAIT_MAX_MS, { message: `waitMs must be a whole number of milliseconds from 0 to ${CLAIM_WAIT_MAX_MS}.` })
  waitMs?: number;
}
