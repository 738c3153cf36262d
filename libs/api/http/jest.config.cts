module.exports = {
  displayName: 'api-http',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/http',
};
