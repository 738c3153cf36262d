module.exports = {
  displayName: 'web-video-call',
  preset: '../../../jest.preset.angular.js',
  coverageDirectory: '../../../coverage/libs/web/video-call',
};
