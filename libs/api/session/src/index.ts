export { SessionModule } from './lib/session.module';
export { HelpSessionService } from './lib/help-session.service';
export { TokenService, type CustomerIdentity, type RepIdentity } from './lib/token.service';
export * from './lib/help-session.errors';
export { CustomerPresence, CallNotifier } from './lib/call.ports';
export type { MatchRecord } from './lib/help-session.service';
