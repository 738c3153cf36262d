export {
  FakePresenceStats,
  RecordingDepartures,
  RecordingRecovery,
  SettableRepActivity,
  fakeSocket,
  type FakeSocket,
} from './presence-doubles';
