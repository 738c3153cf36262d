import nx from '@nx/eslint-plugin';
import baseConfig from './eslint.config.mjs';

/** The lint config of an Angular project: Angular's rules, the base config, and the project's selector prefix. */
export function angularProject(prefix) {
  return [
    ...nx.configs['flat/angular'],
    ...nx.configs['flat/angular-template'],
    ...baseConfig,
    {
      files: ['**/*.ts'],
      rules: {
        '@angular-eslint/directive-selector': ['error', { type: 'attribute', prefix, style: 'camelCase' }],
        '@angular-eslint/component-selector': ['error', { type: 'element', prefix, style: 'kebab-case' }],
      },
    },
  ];
}
