/** Fakes and helpers for specs of web code: never imported by production code. */
export * from './presence-fakes';
export * from './until';
export * from './rep-desk-fakes';
