module.exports = {
  displayName: 'customer',
  preset: '../../jest.preset.angular.js',
  coverageDirectory: '../../coverage/apps/customer',
};
