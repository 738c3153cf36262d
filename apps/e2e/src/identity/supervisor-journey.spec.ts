import { mkdirSync } from 'node:fs';
import { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ApiServer,
  expectText,
  launchChromium,
  SCREENSHOTS,
  SHARED_SECRETS,
  startApiServer,
  TEST_PASSCODE,
  TEST_SUPERVISOR_PASSCODE,
} from '@servicekit/tools/e2e-support';
import { seriousAxeViolations } from './identity-support';

/**
 * The supervisor's side in real Chromium: a rep in a call seen on /rep/ops and signed out from there, and
 * the rep's console saying so; the pages checked with axe-core and photographed at phone and desk widths.
 */
describe('a supervisor and a rep in real browsers', () => {
  let server: ApiServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([
      startApiServer({ ...SHARED_SECRETS, HELP_SESSION_RATE_LIMIT: '0', SIGN_IN_RATE_LIMIT: '0' }),
      launchChromium(),
    ]);
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function newPage(width = 1280, height = 800): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    contexts.push(context);
    return context.newPage();
  }

  async function passcodeSignIn(page: Page, name: string, passcode: string): Promise<void> {
    await page.getByTestId('rep-name').fill(name);
    await page.getByTestId('rep-passcode').fill(passcode);
    await page.getByTestId('rep-sign-in').click();
  }

  async function supervisorOnOpsPage(): Promise<Page> {
    const page = await newPage();
    await page.goto(`${server.url}/rep/ops`);
    await page.getByRole('link', { name: 'Sign in as a supervisor' }).click();
    await passcodeSignIn(page, 'Sue', TEST_SUPERVISOR_PASSCODE);
    await page.getByTestId('reps-table').waitFor();
    return page;
  }

  it('should show a supervisor a rep in a call, and sign the rep out; the rep’s page says so', async () => {
    const customer = await newPage(1100, 800);
    await customer.goto(`${server.url}/`);
    await customer.getByRole('button', { name: 'Talk to a Representative' }).click();
    await customer.getByLabel('Your name').fill('Ada Lovelace');
    await customer.getByLabel('What do you need help with?').fill('The engine stalls.');
    await customer.getByRole('button', { name: 'Request a Representative' }).click();
    await customer.getByTestId('queue-position').waitFor();

    const rep = await newPage(1100, 800);
    await rep.goto(`${server.url}/rep/`);
    await passcodeSignIn(rep, 'Grace Hopper', TEST_PASSCODE);
    await rep.getByTestId('rep-devices-ok').click();
    await rep.getByTestId('next-customer').click();
    await expectText(rep.getByTestId('customer-name'), 'Ada Lovelace');

    const supervisor = await supervisorOnOpsPage();
    // The page refreshes by itself: the call shows once both sides' media is up.
    await supervisor.waitForFunction(
      () => document.querySelector('tr[data-rep="Grace Hopper"] td:nth-of-type(2)')?.textContent?.trim() === 'Yes',
      undefined,
      { timeout: 20_000 },
    );
    await supervisor.screenshot({ path: `${SCREENSHOTS}/identity-ops-1280.png`, fullPage: true });
    expect(await seriousAxeViolations(supervisor)).toEqual([]);

    await supervisor.getByRole('button', { name: 'Sign out Grace Hopper' }).click();
    await expectText(supervisor.getByRole('status').filter({ hasText: 'signed out' }), 'Grace Hopper has been signed out.');
    await rep.waitForURL(`${server.url}/rep/`);
    await expectText(
      rep.getByRole('status').filter({ hasText: 'supervisor' }),
      'A supervisor signed you out. Sign in again to take customers.',
    );
    await supervisor.waitForFunction(() => !document.querySelector('tr[data-rep="Grace Hopper"]'));

    await supervisor.setViewportSize({ width: 375, height: 740 });
    await supervisor.screenshot({ path: `${SCREENSHOTS}/identity-ops-375.png`, fullPage: true });
    expect(await supervisor.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });

  it('should have no serious accessibility problem on the passcode sign-in page, at phone and desk widths', async () => {
    for (const [width, height] of [
      [375, 740],
      [1280, 800],
    ] as const) {
      const page = await newPage(width, height);
      await page.goto(`${server.url}/rep/`);
      await page.getByTestId('rep-passcode').waitFor();
      await page.screenshot({ path: `${SCREENSHOTS}/identity-sign-in-passcode-${width}.png`, fullPage: true });
      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    }
  });
});
