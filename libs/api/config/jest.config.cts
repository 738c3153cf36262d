module.exports = {
  displayName: 'api-config',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/config',
};
