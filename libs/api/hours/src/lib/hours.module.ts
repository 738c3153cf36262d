import { Module } from '@nestjs/common';
import { QueueModule } from '@servicekit/api/queue';
import { BrandController } from './brand.controller';
import { IntakeRecords } from './intake.records';
import { IntakeService } from './intake.service';

/**
 * Opening hours, paused intake, queue limits, honest wait estimates and the brand. Expects the store, the
 * config and the StaffFigures port (bound to presence's figures) from the composition root.
 */
@Module({
  imports: [QueueModule],
  controllers: [BrandController],
  providers: [IntakeRecords, IntakeService],
  exports: [IntakeService],
})
export class HoursModule {}
