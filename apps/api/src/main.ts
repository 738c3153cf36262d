import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import type { Express } from 'express';
import { ConfigurationError, ServiceKitConfig } from '@servicekit/api/config';
import { answerProtocolErrors, jsonBody } from '@servicekit/api/errors';
import { corsOptions, embedLoader, GracefulShutdown, securityHeaders, serveApiDocs } from '@servicekit/api/lifecycle';
import { RequestLogging, ServiceKitLogger } from '@servicekit/api/logging';
import { MatchService } from '@servicekit/api/match';
import { ShutdownHealthIndicator } from '@servicekit/api/ops';
import { KeyValueStore } from '@servicekit/api/store';
import { AppModule } from './app/app.module';
import { banner } from './banner';

/** The widget loader, built by the embed project beside the API (dist/apps/{api,embed}). */
const EMBED_LOADER = join(__dirname, '..', 'embed', 'embed.js');

/** Once the drain starts (SHUTDOWN_DELAY_MS after SIGTERM), requests in flight get this long to finish. */
const DRAIN_MS = 10_000;

async function bootstrap() {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    abortOnError: false,
    bodyParser: false,
    bufferLogs: true,
  });
  const config = app.get(ServiceKitConfig);
  const logger = app.get(ServiceKitLogger);
  app.useLogger(logger);
  app.set('trust proxy', config.trustProxy);
  app.setGlobalPrefix('api');

  const readiness = app.get(ShutdownHealthIndicator);
  const matches = app.get(MatchService);
  const shutdown = new GracefulShutdown({
    delayMs: config.shutdownDelayMs,
    onStopping: () => readiness.markStopping(),
    onDraining: () => matches.endWaits(),
    drainMs: DRAIN_MS,
    logger,
  });
  // In this order: every request is counted for the drain and gets an id and a log line first, even one the
  // body parser refuses; then the security headers; then the body.
  app.use(shutdown.middleware);
  app.use(app.get(RequestLogging).middleware);
  app.use(...securityHeaders(config));
  const cors = corsOptions(config);
  if (cors) app.enableCors(cors);
  // Our requests are small; anything bigger is a mistake or an attack (413 from the exception filter).
  app.use(jsonBody('16kb'));
  app.use(cookieParser());
  // Before the customer app's static files, which would answer it with their index page.
  (app.getHttpAdapter().getInstance() as Express).get('/embed.js', embedLoader(EMBED_LOADER, config.brand));
  serveApiDocs(app);
  answerProtocolErrors(app.getHttpServer());

  await app.listen(config.port, config.host);
  shutdown.listen(app);
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
