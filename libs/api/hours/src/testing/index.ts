export { SettableStaffFigures, intakeFor } from './staff-figures.double';
export { simulateWaits, type WaitSimulation } from './wait-simulation';
