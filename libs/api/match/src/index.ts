export { MatchModule } from './lib/match.module';
export { MatchService, type CurrentCall, type RepLoad, type RepLeaveOutcome } from './lib/match.service';
export { MatchRecords, type MatchRecord, type MatchStart, type MediaSide } from './lib/match.records';
export { CallNotifier, CustomerPresence, HelpSessionFacts, type CustomerDetails } from './lib/match.ports';
