import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { OpsQueueResponse, OpsWaitingEntry as OpsWaitingEntryContract } from '@servicekit/contracts';

/** One waiting customer as operators see it (the contract is in libs/contracts; this class documents it). Personal data only when asked for (`?pii=1`). */
export class OpsWaitingEntry implements OpsWaitingEntryContract {
  @ApiProperty({ description: 'Help session id (opaque).' })
  helpSessionId!: string;

  @ApiProperty({ description: '1 is next.', example: 1 })
  position!: number;

  @ApiProperty({ description: 'Milliseconds since the customer joined the queue.', example: 42_000 })
  waitedMs!: number;

  @ApiProperty({ description: 'Whether the customer holds a live connection (or is within the grace period).' })
  connected!: boolean;

  @ApiPropertyOptional({ description: 'Only with `?pii=1`.' })
  customerName?: string;

  @ApiPropertyOptional({ description: 'Only with `?pii=1`.' })
  problemText?: string;
}

/** `GET /api/ops/queue`: the same answer from every instance (all of it is read from the store). */
export class OpsQueueView implements OpsQueueResponse {
  @ApiProperty({ example: 2 })
  queueLength!: number;

  @ApiProperty({ description: 'How long the first waiting customer has waited; 0 when nobody waits.', example: 42_000 })
  oldestWaitMs!: number;

  @ApiProperty({
    type: [OpsWaitingEntry],
    description: 'The first 100 waiting customers in serving order (`queueLength` counts everyone).',
  })
  waiting!: OpsWaitingEntry[];

  @ApiProperty({ example: 3 })
  repsOnline!: number;

  @ApiProperty({ description: 'Reps reserved for or in a call.', example: 1 })
  repsBusy!: number;

  @ApiProperty({ example: 1 })
  callsInProgress!: number;

  @ApiProperty({ description: 'ISO 8601.', example: '2025-01-01T12:00:00.000Z' })
  generatedAt!: string;
}
