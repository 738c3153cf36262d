export { StoreThrottlerStorage } from './lib/store-throttler.storage';
export { RateLimitModule, THROTTLERS } from './lib/rate-limit.module';
