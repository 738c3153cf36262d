module.exports = {
  displayName: 'api-feedback',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/feedback',
};
