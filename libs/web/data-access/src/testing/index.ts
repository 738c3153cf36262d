/** Fakes for specs of code that uses the data-access lib: never imported by production code. */
export * from './presence-fakes';
