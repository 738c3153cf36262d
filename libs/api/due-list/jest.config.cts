module.exports = {
  displayName: 'api-due-list',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/due-list',
};
