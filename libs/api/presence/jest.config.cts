module.exports = {
  displayName: 'api-presence',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/presence',
};
