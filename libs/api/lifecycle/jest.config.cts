module.exports = {
  displayName: 'api-lifecycle',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/lifecycle',
};
