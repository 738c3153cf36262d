module.exports = {
  displayName: 'api-ops',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/ops',
};
