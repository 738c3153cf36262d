export * from './lib/api-store';
