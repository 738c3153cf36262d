export { PresenceStats, type PresenceSnapshot } from './lib/presence-stats';
export { PresenceModule } from './lib/presence.module';
export { LeaseRecords } from './lib/lease.records';
export { PresenceNotifier } from './lib/presence.notifier';
export { CustomerRecovery, Departures, RepActivity, type RestoreKit } from './lib/presence.ports';
export { validSignal } from './lib/presence.gateway';
