export { HelpSessionModule } from './lib/help-session.module';
export { HelpSessionService } from './lib/help-session.service';
export * from './lib/help-session.errors';
export type { MatchRecord } from './lib/help-session.service';
