import { existsSync } from 'node:fs';
import { Browser, chromium, LaunchOptions } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, with a fake camera and microphone that are granted without a prompt.
 * The background-networking flags keep it from calling out of this closed network.
 */
export async function launchChromium(options: { fakeMedia?: boolean; extraArgs?: string[] } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}: run "sudo apt-get install -y chromium"`);
  }
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    ...(options.fakeMedia === false ? [] : ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']),
    ...(options.extraArgs ?? []),
  ];
  const launch: LaunchOptions = { executablePath: CHROMIUM_PATH, headless: true, args };
  return chromium.launch(launch);
}
