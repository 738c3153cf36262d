module.exports = {
  displayName: 'api-errors',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/errors',
};
