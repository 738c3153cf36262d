import nx from '@nx/eslint-plugin';

/**
 * Module boundaries (docs/architecture.md):
 * - scope:api never imports Angular or browser SDKs; scope:web and the apps never import NestJS, memjs
 *   or the server SDKs; libs/contracts imports nothing at all.
 * - only libs/api/store talks to Memcached (memjs), enforced below with no-restricted-imports.
 */
const serverOnly = ['@nestjs/*', 'memjs', 'opentok', 'express', 'socket.io', 'class-validator', 'class-transformer'];
const browserOnly = ['@angular/*', '@opentok/client', 'rxjs/webSocket'];

const memjsOnlyInStore = { name: 'memjs', message: 'Only libs/api/store talks to Memcached: use the KeyValueStore port.' };
const testingEntryPoints = {
  group: ['@servicekit/*/*/testing'],
  message: 'Testing entry points hold fakes for specs: import them only from *.spec.ts files and other testing code.',
};

/** Tags: scope (api, web, client, shared, testing, e2e, bench) × type (app, feature, data-access, ui, util, contracts, testing, e2e, bench). */
function boundaries(testing) {
  const withTesting = (tags) => (testing ? [...tags, 'scope:testing', 'type:testing'] : tags);
  const constraints = [
    {
      sourceTag: 'scope:shared',
      onlyDependOnLibsWithTags: ['scope:shared'],
      bannedExternalImports: ['*'],
    },
    {
      sourceTag: 'scope:api',
      onlyDependOnLibsWithTags: ['scope:api', 'scope:shared'],
      bannedExternalImports: browserOnly,
    },
    {
      sourceTag: 'scope:web',
      onlyDependOnLibsWithTags: ['scope:web', 'scope:client', 'scope:shared'],
      bannedExternalImports: serverOnly,
    },
    {
      // Framework-free clients of the API (socket.io-client), for the apps and the e2e tests.
      sourceTag: 'scope:client',
      onlyDependOnLibsWithTags: ['scope:client', 'scope:shared'],
      bannedExternalImports: [...serverOnly, ...browserOnly],
    },
    {
      sourceTag: 'scope:testing',
      onlyDependOnLibsWithTags: ['scope:testing', 'scope:shared'],
      bannedExternalImports: browserOnly,
    },
    {
      sourceTag: 'scope:e2e',
      onlyDependOnLibsWithTags: ['scope:e2e', 'scope:client', 'scope:testing', 'scope:shared'],
      bannedExternalImports: ['@angular/*', 'memjs'],
    },
    {
      // The bench measures the built product as the e2e tests do, and the queue library on its own.
      sourceTag: 'scope:bench',
      onlyDependOnLibsWithTags: ['scope:bench', 'scope:api', 'scope:client', 'scope:testing', 'scope:shared'],
      bannedExternalImports: ['@angular/*', 'memjs'],
    },
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:ui', 'type:util', 'type:contracts'] },
    { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:ui', 'type:util', 'type:contracts'] },
    { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:contracts'] },
    { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:ui', 'type:util', 'type:contracts'] },
    { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
    { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
    { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', 'type:util', 'type:contracts'] },
    { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:data-access', 'type:util', 'type:contracts'] },
    {
      sourceTag: 'type:bench',
      onlyDependOnLibsWithTags: ['type:feature', 'type:testing', 'type:data-access', 'type:util', 'type:contracts'],
    },
  ];
  return {
    enforceBuildableLibDependency: true,
    banTransitiveDependencies: true,
    allow: ['^.*/eslint(\\.base|\\.angular)?\\.config\\.[cm]?[jt]s$'],
    depConstraints: constraints.map((c) =>
      c.onlyDependOnLibsWithTags ? { ...c, onlyDependOnLibsWithTags: withTesting(c.onlyDependOnLibsWithTags) } : c,
    ),
  };
}

/** Specs, their setup and the testing entry points of libs (`src/testing/`, published as `@servicekit/…/testing`). */
const TEST_FILES = ['**/*.spec.ts', '**/test-setup.ts', '**/src/testing/**/*.ts'];

/**
 * The projects that are test code through and through, by folder, so that `npx eslint <folder>` from the root
 * judges them as their own eslint.config.mjs does under nx lint.
 */
const TEST_CODE_EVERYWHERE = ['apps/e2e/**/*.ts', 'tools/**/*.ts'];

/**
 * Imports production code may not make: memjs outside libs/api/store (`memjs: true` allows it), and a testing
 * entry point (`@servicekit/…/testing` or a relative `…/testing`) outside specs and testing code. Projects
 * that are test code through and through (apps/e2e, tools/*) pass `testingEverywhere: true`. A project's
 * eslint.config.mjs that changes either appends `...restrictedImports({ … })` after the base config.
 */
export function restrictedImports({ memjs = false, testingEverywhere = false } = {}) {
  const rule = (testing) => [
    'error',
    {
      paths: memjs ? [] : [{ name: 'memjs', message: 'Only libs/api/store talks to Memcached: use the KeyValueStore port.' }],
      patterns: testing
        ? []
        : [
            {
              regex: '^(@servicekit/.+|\\.{1,2}(/.+)?)/testing(/.*)?$',
              message: 'A testing entry point is for specs, benches and tools only, never production code.',
            },
          ],
    },
  ];
  return [
    { files: ['**/*.ts'], rules: { 'no-restricted-imports': rule(testingEverywhere) } },
    { files: [...TEST_FILES, ...TEST_CODE_EVERYWHERE], rules: { 'no-restricted-imports': rule(true) } },
  ];
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/tmp', '**/.nx', '**/coverage'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries(false)] },
  },
  {
    // Tests and testing entry points may start real servers with the testing tools.
    files: TEST_FILES,
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries(true)] },
  },
  ...restrictedImports(),
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Type-aware rules: a promise is awaited, returned or explicitly voided; never passed where a callback's
    // result is ignored; only thenables are awaited.
    files: ['**/*.ts'],
    ignores: ['**/jest.config.ts', '**/jest.config.cts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
];
