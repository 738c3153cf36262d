export { PresenceClient, type PresenceClientOptions } from './lib/presence-client';
