// Builds the widget loader into one minified script, dist/apps/embed/embed.js, and fails when it grows past
// its budget: 6 KB gzip. The API writes the brand into it and compresses it when it serves it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const BUDGET_GZIP_BYTES = 6 * 1024;
const root = join(import.meta.dirname, '..', '..');
const outDir = join(root, 'dist', 'apps', 'embed');

const result = await build({
  absWorkingDir: root,
  entryPoints: ['apps/embed/src/main.ts'],
  tsconfig: 'apps/embed/tsconfig.app.json',
  bundle: true,
  minify: true,
  format: 'iife',
  // Browsers with shadow DOM, :focus-visible and optional chaining: the last two years of every engine.
  target: ['chrome90', 'edge90', 'firefox90', 'safari15'],
  legalComments: 'none',
  charset: 'utf8',
  write: false,
  logLevel: 'warning',
});
const code = result.outputFiles[0].contents;
const gzip = gzipSync(code, { level: 9 });
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'embed.js'), code);
console.log(`embed.js: ${code.length} bytes, ${gzip.length} bytes gzip (budget ${BUDGET_GZIP_BYTES})`);
if (gzip.length > BUDGET_GZIP_BYTES) {
  console.error(`embed.js is over its budget of ${BUDGET_GZIP_BYTES} bytes gzip: keep the loader small.`);
  process.exit(1);
}
