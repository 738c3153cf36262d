module.exports = {
  displayName: 'api-video',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/video',
};
