export { DueList, type DueEntry, type DueListOptions } from './lib/due-list';
