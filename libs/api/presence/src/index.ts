export { PresenceStats, type PresenceSnapshot } from './lib/presence-stats';
export { PresenceModule } from './lib/presence.module';
export { validSignal } from './lib/presence.gateway';
