import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ApiServer,
  createHelpSession,
  enqueue,
  expectText,
  launchChromium,
  repSignsIn,
  SCREENSHOTS,
  SHARED_SECRETS,
  startApiServer,
  TEST_SUPERVISOR_PASSCODE,
} from '@servicekit/tools/e2e-support';

const SIZES = [
  [375, 740],
  [1280, 800],
] as const;

/**
 * The rep's status control in the console header in real Chromium: set away with the keyboard, Next Customer
 * refused with the server's sentence, back to available, a call and its wrap-up countdown; and the ops page's
 * reps table showing each status without scrolling sideways on a phone. axe-core at both sizes.
 */
describe('rep status in the console and on the ops page (real Chromium, WRAP_UP_MS=3000)', () => {
  let server: ApiServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const axeCounts: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([
      startApiServer({ ...SHARED_SECRETS, WRAP_UP_MS: '3000', NO_SHOW_MS: '60000', HELP_SESSION_RATE_LIMIT: '0', SIGN_IN_RATE_LIMIT: '0' }),
      launchChromium(),
    ]);
  });

  afterAll(async () => {
    process.stdout.write(`axe-core, serious or critical violations per state:\n${axeCounts.join('\n')}\n`);
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    await browser?.close();
    await server?.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    return context.newPage();
  }

  /** Photographs the state at both sizes (scrolled to `focus` when given) and checks it with axe at both. */
  async function shoot(page: Page, name: string, focus?: string): Promise<void> {
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      if (focus) await page.getByTestId(focus).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENSHOTS}/rep-status-${name}-${width}.png` });
      const violations = (await new AxeBuilder({ page }).analyze()).violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
      axeCounts.push(`  ${name} at ${width}×${height}: ${violations.length}`);
      expect(violations).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      if ((await page.getByTestId('rep-status').count()) > 0) {
        const control = await page.getByTestId('rep-status').boundingBox();
        expect((control?.x ?? 0) + (control?.width ?? 0)).toBeLessThanOrEqual(width);
        expect((control?.y ?? 0) + (control?.height ?? 0)).toBeLessThanOrEqual(height);
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  it('should let a rep go away and back with the keyboard, refuse Next Customer meanwhile, and count the wrap-up down after a call', async () => {
    const page = await newPage();
    await repSignsIn(page, server.url, 'Grace');
    await expectText(page.getByTestId('rep-status-now'), 'Available');
    await shoot(page, 'console-available');

    const available = page.getByRole('radio', { name: 'Available' });
    await available.focus();
    await page.keyboard.press('ArrowRight');
    await expectText(page.getByTestId('rep-status-now'), 'Away: you are not offered customers');
    expect(await page.getByRole('radio', { name: 'Away' }).isChecked()).toBe(true);
    await page.getByTestId('next-customer').click();
    await expectText(page.getByTestId('rep-error'), 'You are set to away. Set yourself available to take customers.');
    await shoot(page, 'console-away-refused');

    await page.getByRole('radio', { name: 'Away' }).focus();
    await page.keyboard.press('ArrowLeft');
    await expectText(page.getByTestId('rep-status-now'), 'Available');

    const customer = (await createHelpSession(server.url, 'Ada Lovelace', 'My router blinks red.')).body;
    expect((await enqueue(server.url, customer)).status).toBe(201);
    await page.getByTestId('next-customer').click();
    await expectText(page.getByTestId('rep-status-now'), 'In a call');
    await page.getByTestId('end-call').click();
    await expectText(page.getByTestId('rep-status-now'), 'Wrap-up');
    await expectText(page.getByTestId('rep-wrap-up-left'), /^[1-3] s left$/);
    await shoot(page, 'console-wrap-up');
    await expectText(page.getByTestId('rep-status-now'), 'Available');
    expect(await page.getByTestId('rep-wrap-up-left').count()).toBe(0);

    const ops = await newPage();
    await ops.goto(`${server.url}/rep/ops`);
    await ops.getByRole('link', { name: 'Sign in as a supervisor' }).click();
    await ops.getByTestId('rep-name').fill('Sue Supervisor');
    await ops.getByTestId('rep-passcode').fill(TEST_SUPERVISOR_PASSCODE);
    await ops.getByTestId('rep-sign-in').click();
    await page.getByRole('radio', { name: 'Available' }).focus();
    await page.keyboard.press('ArrowRight');
    await expectText(ops.locator('[data-rep="Grace"]'), 'Away');
    for (const [width, height] of SIZES) {
      await ops.setViewportSize({ width, height });
      const table = ops.locator('.table-scroll').filter({ has: ops.getByTestId('reps-table') });
      expect(await table.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
    }
    await shoot(ops, 'ops-reps-status', 'reps-table');
  });
});
