module.exports = {
  displayName: 'web-data-access',
  preset: '../../../jest.preset.angular.js',
  coverageDirectory: '../../../coverage/libs/web/data-access',
};
