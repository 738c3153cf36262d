import { mkdirSync } from 'node:fs';
import { Browser } from 'playwright-core';
import { SHARED_SECRETS, ApiServer, startApiServer, launchChromium, expectText, SCREENSHOTS } from '@servicekit/tools/e2e-support';

describe('the customer form and devices in a real browser', () => {
  let server: ApiServer;
  let browser: Browser;
  let denyingBrowser: Browser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser, denyingBrowser] = await Promise.all([
      startApiServer({ ...SHARED_SECRETS, HELP_SESSION_RATE_LIMIT: '0' }),
      launchChromium(),
      // A fake camera exists, but every permission prompt is answered "Block".
      launchChromium({ fakeMedia: false, extraArgs: ['--use-fake-device-for-media-stream', '--deny-permission-prompts'] }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([browser?.close(), denyingBrowser?.close()]);
    await server?.stop();
  });

  it('should show the field error for a 51-character name, from the shared limits', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Talk to a Representative' }).click();
    await page.getByLabel('Your name').fill('a'.repeat(51));
    await page.getByLabel('What do you need help with?').fill('My router blinks red.');
    await page.getByRole('button', { name: 'Request a Representative' }).click();
    await expectText(page.getByTestId('customer-name-error'), 'Your name must be at most 50 characters (it has 51).');
    expect(await page.getByLabel('Your name').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Your name').fill('Ada');
    await page.getByTestId('customer-name-error').waitFor({ state: 'detached' });
    await page.close();
  });

  it('should explain a blocked camera and offer to try again, taking no place in the queue', async () => {
    const page = await denyingBrowser.newPage();
    await page.goto(`${server.url}/help`);
    await page.getByLabel('Your name').fill('Ada');
    await page.getByLabel('What do you need help with?').fill('My router blinks red.');
    await page.getByRole('button', { name: 'Request a Representative' }).click();
    // The pre-call check says why, as its Fail outcome.
    await expectText(page.locator('[data-testid="precall-result"][data-outcome="fail"]'), /blocked|Allow/i);
    await page.getByRole('button', { name: 'Try again' }).waitFor();
    const status = await (await fetch(`${server.url}/api/status`)).json();
    expect(status.waiting).toBe(0);
    await page.close();
  });
});
