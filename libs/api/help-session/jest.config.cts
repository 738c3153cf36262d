module.exports = {
  displayName: 'api-help-session',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/help-session',
};
