import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import { ServiceKitConfigModule } from '@servicekit/api/config';
import { ApiExceptionFilter, createValidationPipe } from '@servicekit/api/errors';
import { CallbacksModule } from '@servicekit/api/callbacks';
import { ChatModule } from '@servicekit/api/chat';
import { FeedbackModule } from '@servicekit/api/feedback';
import { HelpSessionModule } from '@servicekit/api/help-session';
import { HoursModule } from '@servicekit/api/hours';
import { EmbedModule } from '@servicekit/api/lifecycle';
import { LoggingModule } from '@servicekit/api/logging';
import { MatchModule } from '@servicekit/api/match';
import { MetricsModule } from '@servicekit/api/metrics';
import { OpsModule } from '@servicekit/api/ops';
import { PresenceModule } from '@servicekit/api/presence';
import { QueueModule } from '@servicekit/api/queue';
import { RateLimitModule } from '@servicekit/api/rate-limit';
import { RepAuthModule } from '@servicekit/api/rep-auth';
import { PortsModule } from './ports.module';
import { StoreModule } from './store.module';
import { VideoModule } from './video.module';

/** Where the built Angular apps sit beside the built API (dist/apps/{api,customer,rep}). */
const webRoot = (app: 'customer' | 'rep') => join(__dirname, '..', app, 'browser');

@Module({
  imports: [
    ServiceKitConfigModule.forRoot(),
    LoggingModule,
    MetricsModule,
    StoreModule,
    VideoModule,
    RateLimitModule.forRoot(),
    RepAuthModule,
    QueueModule,
    MatchModule,
    HoursModule,
    HelpSessionModule,
    CallbacksModule,
    FeedbackModule,
    ChatModule,
    PresenceModule,
    OpsModule,
    EmbedModule,
    PortsModule,
    // The rep app first, under /rep; the customer app at the root must not swallow /api, /rep or socket.io
    // (@nestjs/serve-static with serveRoot '/' answers 404 to everything).
    ServeStaticModule.forRoot(
      { rootPath: webRoot('rep'), serveRoot: '/rep' },
      { rootPath: webRoot('customer'), exclude: ['/api/{*path}', '/rep/{*path}', '/socket.io/{*path}'] },
    ),
  ],
  providers: [
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
export class AppModule {}
