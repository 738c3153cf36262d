module.exports = {
  displayName: 'api-rep-auth',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/rep-auth',
};
