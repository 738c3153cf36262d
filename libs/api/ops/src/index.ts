export { OpsModule } from './lib/ops.module';
