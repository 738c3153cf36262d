export * from './testing/opentok-stand-in';
