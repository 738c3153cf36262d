module.exports = {
  displayName: 'api-callbacks',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/callbacks',
};
