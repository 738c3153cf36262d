export { MetricsModule } from './lib/metrics.module';
export { ServiceKitMetrics, type QueueFigures, type QueueReader } from './lib/service-kit.metrics';
