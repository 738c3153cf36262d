module.exports = {
  displayName: 'api-queue',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/api/queue',
};
