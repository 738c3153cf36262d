module.exports = {
  displayName: 'api-errors',
  preset: '../../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  // opentok's dependency chain ends in ESM-only uuid: let ts-jest compile it to CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(.*/)?uuid/)'],
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../../coverage/libs/api/errors',
};
