export { CustomerPresence, CallNotifier } from './lib/match.ports';
