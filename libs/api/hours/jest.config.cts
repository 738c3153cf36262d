module.exports = {
  displayName: 'api-hours',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/hours',
};
