/**
 * npm run bench (part 3): what a browser downloads before anything shows: the widget loader (/embed.js,
 * budget 6 KB gzip) and the initial JavaScript of both apps (the scripts and module preloads their
 * index.html names; lazy routes excluded), raw and gzip -9, from the production build in dist/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = join(__dirname, '..', '..', 'dist', 'apps');
const LOADER_BUDGET_GZIP = 6 * 1024;

interface Size {
  name: string;
  files: number;
  raw: number;
  gzip: number;
}

function measure(name: string, dir: string, files: string[]): Size {
  const contents = files.map((file) => readFileSync(join(dir, file)));
  return {
    name,
    files: files.length,
    raw: contents.reduce((sum, content) => sum + content.length, 0),
    gzip: contents.reduce((sum, content) => sum + gzipSync(content, { level: 9 }).length, 0),
  };
}

/** The app's initial scripts: the entry module and the chunks its index.html preloads. */
function initialScripts(browserDir: string): string[] {
  const html = readFileSync(join(browserDir, 'index.html'), 'utf8');
  const scripts = [
    ...html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g),
  ];
  return [...new Set(scripts.map((match) => match[1] ?? ''))];
}

function main() {
  const sizes = [
    measure('widget loader (/embed.js)', join(DIST, 'embed'), ['embed.js']),
    ...(['customer', 'rep'] as const).map((app) => {
      const dir = join(DIST, app, 'browser');
      return measure(`${app} app, initial JS`, dir, initialScripts(dir));
    }),
  ];
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log('\nFront ends: what the browser downloads first (production build, gzip -9)');
  console.log(`${'what'.padEnd(30)}${'files'.padStart(6)}${'raw'.padStart(11)}${'gzip'.padStart(11)}`);
  for (const size of sizes) {
    console.log(`${size.name.padEnd(30)}${String(size.files).padStart(6)}${kb(size.raw).padStart(11)}${kb(size.gzip).padStart(11)}`);
  }
  const loader = sizes[0];
  if (loader) console.log(`widget loader: ${loader.gzip} bytes gzip, budget ${LOADER_BUDGET_GZIP}`);
  if (loader && loader.gzip > LOADER_BUDGET_GZIP) {
    console.error(`The widget loader is ${loader.gzip} bytes gzip, over its budget of ${LOADER_BUDGET_GZIP}.`);
    process.exitCode = 1;
  }
}

main();
