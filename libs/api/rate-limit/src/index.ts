export { StoreThrottlerStorage } from './lib/store-throttler.storage';
