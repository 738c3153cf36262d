export { OpeningHours } from './lib/opening-hours';
export { IntakeService, INTAKE_OPTIONS, type IntakeOptions } from './lib/intake.service';
export { HoursModule } from './lib/hours.module';
export { StaffFigures } from './lib/staff-figures';
export { estimateWait, DEFAULT_HANDLING_MS, type RepLoadNow } from './lib/wait-estimate';
export { ClosedError, IntakePausedError, QueueFullError, WaitTooLongError } from './lib/intake.errors';
