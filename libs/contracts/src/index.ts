export * from './lib/limits';
export * from './lib/api-error';
export * from './lib/help-session';
export * from './lib/presence';
export * from './lib/ops';
export * from './lib/customer-side';
export * from './lib/embed';
export * from './lib/rep-identity';
