import baseConfig, { restrictedImports } from '../../eslint.config.mjs';

// Test code through and through: it may use every testing entry point.
export default [...baseConfig, ...restrictedImports({ testingEverywhere: true })];
