import { AddressInfo } from 'node:net';
import { ConsoleLogger, Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { ConfigurationError, ServiceKitConfig } from '@servicekit/api/config';
import { jsonBody } from '@servicekit/api/http';
import { KeyValueStore } from '@servicekit/api/store';
import { AppModule } from './app/app.module';
import { banner } from './banner';

/** Nest's start-up chatter is `log`; at `info` an operator sees the banner, warnings and errors. */
const NEST_LOG_LEVELS: Record<ServiceKitConfig['logLevel'], LogLevel[]> = {
  silent: [],
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

async function bootstrap() {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    abortOnError: false,
    bodyParser: false,
    bufferLogs: true,
  });
  const config = app.get(ServiceKitConfig);
  app.useLogger(new ConsoleLogger({ logLevels: NEST_LOG_LEVELS[config.logLevel] }));
  app.setGlobalPrefix('api');
  // Our requests are small; anything bigger is a mistake or an attack (413 from the exception filter).
  app.use(jsonBody('16kb'));
  app.use(cookieParser());
  app.set('trust proxy', config.trustProxy);
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.stdout.write(banner(config, app.get(KeyValueStore).description, port));
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`Service Kit cannot start. ${error.message}\n`);
  } else {
    new Logger('Bootstrap').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  process.exit(1);
});
