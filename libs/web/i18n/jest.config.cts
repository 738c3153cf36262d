module.exports = {
  displayName: 'web-i18n',
  preset: '../../../jest.preset.angular.js',
  coverageDirectory: '../../../coverage/libs/web/i18n',
};
