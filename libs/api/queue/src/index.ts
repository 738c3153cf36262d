export * from './lib/help-queue';
export * from './lib/queue.errors';
export * from './lib/queue.options';
