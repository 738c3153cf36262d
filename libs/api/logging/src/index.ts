export { RequestLogging, createRequestLogging, requestId, scrubLine, REQUEST_ID_HEADER } from './lib/request-logging';
export { ServiceKitLogger } from './lib/nest-logger';
export { LoggingModule } from './lib/logging.module';
