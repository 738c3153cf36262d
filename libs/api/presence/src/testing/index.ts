export { FakePresenceStats, RecordingDepartures, SettableRepActivity, fakeSocket, type FakeSocket } from './presence-doubles';
