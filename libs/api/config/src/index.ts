export * from './lib/service-kit.config';
export { loadServiceKitConfig, parseMemcachedServers, ConfigurationError } from './lib/load-config';
export { ServiceKitConfigModule } from './lib/config.module';
