module.exports = {
  displayName: 'api-logging',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/logging',
};
