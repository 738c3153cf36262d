export { OpsModule } from './lib/ops.module';
export { OperatorGuard } from './lib/auth/operator.guard';
export { ShutdownHealthIndicator } from './lib/health/shutdown.health';
export { OpsQueueView, OpsWaitingEntry } from './lib/queue/ops-queue.view';
export { RepFigures } from './lib/reps/rep-figures.records';
export { CallWatch } from './lib/reps/call-watch';
