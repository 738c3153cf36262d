export * from './lib/help-queue';
export * from './lib/queue.errors';
export * from './lib/queue.options';
export { QueueModule } from './lib/queue.module';
export { CustomerClaims } from './lib/customer-claims';
