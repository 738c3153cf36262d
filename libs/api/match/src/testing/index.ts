export { RecordingNotifier, SettablePresence } from './call-doubles';
export { MemoryHelpSessions } from './call-doubles';
