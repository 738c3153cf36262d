module.exports = {
  displayName: 'api-chat',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/chat',
};
