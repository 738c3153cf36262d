module.exports = {
  displayName: 'api-session',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/session',
};
