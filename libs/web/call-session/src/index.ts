export * from './lib/call-session.machine';
export { CallSession, type CallSessionHooks } from './lib/call-session.store';
export { CustomerCallSession } from './lib/customer-call-session.store';
export { RepCallSession } from './lib/rep-call-session.store';
