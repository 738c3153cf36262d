module.exports = {
  displayName: 'api-match',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/match',
};
