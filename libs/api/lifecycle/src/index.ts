export { securityHeaders, PERMISSIONS_POLICY } from './lib/security-headers';
export { corsOptions } from './lib/cors';
export { serveApiDocs } from './lib/api-docs';
export { GracefulShutdown, type GracefulShutdownOptions } from './lib/graceful-shutdown';
export { brandedLoader, EmbedController, EmbedModule, embedLoader } from './lib/embed';
