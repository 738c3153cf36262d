export { CallbacksModule } from './lib/callbacks.module';
export { CallbacksService, type NewCallback } from './lib/callbacks.service';
export { CallbackRecords } from './lib/callback.records';
