import baseConfig, { restrictedImports } from '../../eslint.config.mjs';

// Bench code: it may use every testing entry point (memcached, the built API as a process).
export default [...baseConfig, ...restrictedImports({ testingEverywhere: true })];
