module.exports = {
  displayName: 'rep',
  preset: '../../jest.preset.angular.js',
  coverageDirectory: '../../coverage/apps/rep',
};
