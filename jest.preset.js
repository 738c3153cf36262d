const nxPreset = require('@nx/jest/preset').default;

/**
 * The Jest preset of the Node projects (libs/api, libs/contracts, libs/client, tools, apps/e2e): Nx's preset
 * (ts-jest with the project's tsconfig.spec.json, the path aliases) in a Node environment. A project's
 * jest.config.cts names it and adds only what is its own.
 */
module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  // opentok's dependency chain ends in ESM-only uuid: let ts-jest compile it to CommonJS (the spec tsconfig
  // of a project that imports opentok needs allowJs).
  transformIgnorePatterns: ['/node_modules/(?!(.*/)?uuid/)'],
};
