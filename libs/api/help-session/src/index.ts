export { HelpSessionModule } from './lib/help-session.module';
export { HelpSessionService } from './lib/help-session.service';
export { HelpSessionRecovery, type SessionKit } from './lib/help-session.recovery';
export { HelpSessionRecords, type EndMarker, type HelpSessionRecord, type HelpSessionState } from './lib/help-session.records';
export * from './lib/help-session.errors';
export { EmbedContextVerifier } from './lib/embed-context.verifier';
export { SessionErasure } from './lib/help-session.ports';
export { HelpSessionIdPipe } from './lib/help-session-id.pipe';
