module.exports = {
  displayName: 'e2e',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/e2e',
  // Black-box tests start real servers, memcached and Chromium: give them room, and fail fast on
  // a missing build or system package (see globalSetup).
  testTimeout: 60_000,
  globalSetup: '<rootDir>/../../tools/e2e-support/src/global-setup.ts',
};
