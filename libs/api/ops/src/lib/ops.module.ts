import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MetricsModule } from '@servicekit/api/metrics';
import { CallbacksModule } from '@servicekit/api/callbacks';
import { FeedbackModule } from '@servicekit/api/feedback';
import { HelpSessionModule } from '@servicekit/api/help-session';
import { HoursModule } from '@servicekit/api/hours';
import { MatchModule } from '@servicekit/api/match';
import { PresenceModule } from '@servicekit/api/presence';
import { QueueModule } from '@servicekit/api/queue';
import { RepAuthModule } from '@servicekit/api/rep-auth';
import { OperatorGuard } from './auth/operator.guard';
import { HealthController } from './health/health.controller';
import { ShutdownHealthIndicator } from './health/shutdown.health';
import { StoreHealthIndicator } from './health/store.health';
import { VideoConfigHealthIndicator } from './health/video-config.health';
import { CustomerSideController } from './customer-side/customer-side.controller';
import { IntakeController } from './intake/intake.controller';
import { MetricsController } from './metrics/metrics.controller';
import { OpsController } from './queue/ops.controller';
import { QueueInspection } from './queue/queue-inspection.service';
import { OpsRepsController } from './reps/ops-reps.controller';
import { RepFigures } from './reps/rep-figures.records';
import { RepsOnline } from './reps/reps-online.service';

/**
 * Operators' and supervisors' endpoints: health, the live queue, the reps signed in (and signing one out),
 * per-rep figures and metrics. Expects the store and the config from the composition root.
 */
@Module({
  imports: [
    TerminusModule.forRoot({ logger: false }),
    MetricsModule,
    HelpSessionModule,
    HoursModule,
    MatchModule,
    PresenceModule,
    QueueModule,
    RepAuthModule,
    CallbacksModule,
    FeedbackModule,
  ],
  controllers: [HealthController, OpsController, OpsRepsController, MetricsController, IntakeController, CustomerSideController],
  providers: [
    ShutdownHealthIndicator,
    StoreHealthIndicator,
    VideoConfigHealthIndicator,
    OperatorGuard,
    QueueInspection,
    RepFigures,
    RepsOnline,
  ],
  // main.ts turns readiness to 503 through it when the stop signal comes; the composition root puts CallWatch
  // (with RepFigures) in front of the CallNotifier.
  exports: [ShutdownHealthIndicator, RepFigures],
})
export class OpsModule {}
