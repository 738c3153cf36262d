module.exports = {
  displayName: 'tools-testing',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/testing',
};
