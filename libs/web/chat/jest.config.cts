module.exports = {
  displayName: 'web-chat',
  preset: '../../../jest.preset.angular.js',
  coverageDirectory: '../../../coverage/libs/web/chat',
};
