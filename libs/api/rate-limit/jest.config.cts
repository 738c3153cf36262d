module.exports = {
  displayName: 'api-rate-limit',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/rate-limit',
};
