import { Global, Module } from '@nestjs/common';
import { ServiceKitMetrics } from './service-kit.metrics';

/**
 * One `ServiceKitMetrics` per process, global so that any module (sessions, presence, ops) can count
 * without importing this one.
 */
@Global()
@Module({
  providers: [ServiceKitMetrics],
  exports: [ServiceKitMetrics],
})
export class MetricsModule {}
