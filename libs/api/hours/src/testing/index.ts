export { SettableStaffFigures, intakeFor } from './staff-figures.double';
