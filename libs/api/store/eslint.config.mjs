import baseConfig from '../../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // The one project that talks to Memcached through memjs.
    files: ['**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
];
