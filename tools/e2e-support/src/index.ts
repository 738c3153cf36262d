/**
 * @servicekit/tools/e2e-support: black-box helpers for the e2e suites and the benches: the built API as a
 * real process, a typed client of its HTTP API, and Debian's Chromium with a fake camera.
 */
export { startApiServer, API_MAIN, type ApiServer } from './api-server';
export {
  call,
  createHelpSession,
  enqueue,
  cancel,
  endSession,
  signIn,
  claimNext,
  mintToken,
  customerTokenFor,
  drainQueue,
  SHARED_SECRETS,
  TEST_PASSCODE,
  TEST_TOKEN_SECRET,
  TEST_OPS_TOKEN,
  TEST_SUPERVISOR_PASSCODE,
  type Reply,
} from './api-client';
export { launchChromium, CHROMIUM_PATH } from './browser';
export { expectText, SCREENSHOTS } from './journey';
export { dumpMemcached, type StoredItem } from './memcached-dump';
export { findSecrets } from './personal-data-scan';
export {
  launchPerson,
  firstRemoteFrameAt,
  newStreamFrameAfter,
  customerAsks,
  repSignsIn,
  outcomeOf,
  expectLiveVideo,
  selectedPairs,
  matchIdOf,
  type Person,
  type SelectedPair,
} from './video-person';
