import { existsSync } from 'node:fs';
import { API_MAIN } from './api-server';
import { CHROMIUM_PATH } from './browser';

/**
 * Jest's globalSetup for apps/e2e (Jest loads it without the path aliases, so it imports relatively): fails
 * the e2e run at once, with the command that fixes it, instead of 30 confusing timeouts.
 */
export default async function globalSetup() {
  const missing: string[] = [];
  if (!existsSync(API_MAIN)) missing.push('the built apps: run "npx nx run-many -t build -p api customer rep embed" (npm test does it)');
  if (!existsSync(CHROMIUM_PATH)) missing.push('Chromium: run "sudo apt-get install -y chromium"');
  if (missing.length > 0) throw new Error(`Cannot run the black-box tests. Missing ${missing.join('; ')}.`);
}
