module.exports = {
  displayName: 'web-call-session',
  preset: '../../../jest.preset.angular.js',
  coverageDirectory: '../../../coverage/libs/web/call-session',
};
