module.exports = {
  displayName: 'client-presence',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/client/presence',
};
