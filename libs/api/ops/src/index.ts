export { OpsModule } from './lib/ops.module';
export { OperatorGuard } from './lib/auth/operator.guard';
export { OpsQueueView, OpsWaitingEntry } from './lib/queue/ops-queue.view';
