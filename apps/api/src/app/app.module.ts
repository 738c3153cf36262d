import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import { ThrottlerModule } from '@nestjs/throttler';
import { ServiceKitConfig, ServiceKitConfigModule } from '@servicekit/api/config';
import { ApiExceptionFilter, createValidationPipe } from '@servicekit/api/errors';
import { HelpSessionModule } from '@servicekit/api/help-session';
import { LoggingModule } from '@servicekit/api/logging';
import { MetricsModule } from '@servicekit/api/metrics';
import { OpsModule } from '@servicekit/api/ops';
import { PresenceModule } from '@servicekit/api/presence';
import { QueueModule } from '@servicekit/api/queue';
import { StoreThrottlerStorage } from '@servicekit/api/rate-limit';
import { RepAuthModule } from '@servicekit/api/rep-auth';
import { KeyValueStore } from '@servicekit/api/store';
import { PortsModule } from './ports.module';
import { StoreModule } from './store.module';
import { VideoModule } from './video.module';

/** Where the built Angular apps sit beside the built API (dist/apps/{api,customer,rep}). */
const webRoot = (app: 'customer' | 'rep') => join(__dirname, '..', app, 'browser');

const MINUTE_MS = 60_000;

@Module({
  imports: [
    ServiceKitConfigModule.forRoot(),
    LoggingModule,
    MetricsModule,
    StoreModule,
    VideoModule,
    ThrottlerModule.forRootAsync({
      inject: [ServiceKitConfig, KeyValueStore],
      useFactory: (config: ServiceKitConfig, store: KeyValueStore) => ({
        storage: new StoreThrottlerStorage(store, config.tokenSecret),
        throttlers: [
          {
            name: 'help-sessions',
            ttl: MINUTE_MS,
            limit: Math.max(1, config.helpSessionRateLimit),
            skipIf: () => config.helpSessionRateLimit === 0,
          },
          {
            name: 'sign-in',
            ttl: MINUTE_MS,
            limit: Math.max(1, config.signInRateLimit),
            skipIf: () => config.signInRateLimit === 0,
          },
        ],
      }),
    }),
    RepAuthModule,
    QueueModule,
    HelpSessionModule,
    PresenceModule,
    PortsModule,
    OpsModule,
    // The rep app first, under /rep; the customer app at the root must not swallow /api, /rep or socket.io
    // (a root app with serveRoot '/' 404s everything: TOOLCHAIN.md pitfall 6).
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
