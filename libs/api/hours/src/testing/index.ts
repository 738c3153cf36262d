export { SettableRepFigures, intakeFor } from './rep-figures.double';
