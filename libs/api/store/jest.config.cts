module.exports = {
  displayName: 'api-store',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/store',
};
