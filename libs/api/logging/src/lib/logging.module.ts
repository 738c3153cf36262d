import { RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ServiceKitLogger } from './nest-logger';
import { RequestLogging } from './request-logging';

/**
 * nestjs-pino on top of our own pino-http middleware. `main.ts` mounts `RequestLogging.middleware` before
 * anything else (so that even a request the body parser refuses has an id and a log line); this module only
 * binds each request's logger for Nest's loggers and provides `ServiceKitLogger` for `app.useLogger`.
 */
export const LoggingModule = LoggerModule.forRootAsync({
  providers: [RequestLogging, ServiceKitLogger],
  inject: [RequestLogging],
  useFactory: (logging: RequestLogging) => ({
    pinoHttp: { logger: logging.logger },
    useExisting: true,
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
  }),
});
