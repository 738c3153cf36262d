import baseConfig, { restrictedImports } from '../../../eslint.config.mjs';

// The one project that talks to Memcached through memjs.
export default [...baseConfig, ...restrictedImports({ memjs: true })];
