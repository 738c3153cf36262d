import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { figure, Figure } from '../report';

const DIST = join(__dirname, '../../../dist/apps');

/** The JavaScript a first visit loads: the scripts and module preloads that index.html names. */
function initialScripts(browserDir: string): string[] {
  const html = readFileSync(join(browserDir, 'index.html'), 'utf8');
  const names = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map((m) => m[1]!);
  return [...new Set(names)].map((name) => join(browserDir, name));
}

/** The widget loader's budget (issue 13): what a company's page pays for the button before anyone clicks. */
const LOADER_BUDGET_KB = 6;

/** gzip -9, as a CDN or the API's static server would send it at best. */
function gzipKb(files: string[]): number {
  return files.reduce((sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length, 0) / 1024;
}

function findFile(dir: string, name: string): string | null {
  if (!existsSync(dir)) return null;
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      const found = findFile(path, name);
      if (found) return found;
    } else if (entry === name) return path;
  }
  return null;
}

/** Front ends: initial JS of both apps and the widget loader (embed.js, against its budget), gzip, from the build output. */
export async function frontendsSection(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const app of ['customer', 'rep']) {
    const browser = join(DIST, app, 'browser');
    if (!existsSync(join(browser, 'index.html'))) throw new Error(`${browser}/index.html is missing: build the apps first.`);
    const files = initialScripts(browser);
    figures.push(figure('frontends', `${app} app initial JS, gzip (${files.length} files)`, 'KB', [gzipKb(files)]));
  }
  const loader = findFile(DIST, 'embed.js');
  if (!loader) throw new Error(`No embed.js under ${DIST}: build the widget loader first (npm run bench builds it).`);
  figures.push(
    figure('frontends', 'widget loader embed.js, gzip', 'KB', [gzipKb([loader])], {
      atMost: LOADER_BUDGET_KB,
      text: `≤ ${LOADER_BUDGET_KB} KB gzip`,
    }),
  );
  return figures;
}
