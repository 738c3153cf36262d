import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { CallbackListResponse, ClaimedCallback, IntakeStateResponse, OpsFeedbackResponse } from '@servicekit/contracts';
import { waitFor } from '@servicekit/tools/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ApiServer,
  call,
  claimNext,
  endSession,
  expectText,
  launchChromium,
  SHARED_SECRETS,
  signIn,
  startApiServer,
  TEST_OPS_TOKEN,
} from '@servicekit/tools/e2e-support';

/** Screenshots of every new page state, to look at (tmp/ is git-ignored). */
const SCREENS = join(__dirname, '../../../../tmp/screens');
const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
const SIZES = { phone: PHONE, desktop: DESKTOP } as const;
const LIMITS_OFF = { HELP_SESSION_RATE_LIMIT: '0', SIGN_IN_RATE_LIMIT: '0' };
/** Axe's serious and critical findings per page state, printed at the end for the report. */
const axeCounts: Record<string, number> = {};

async function seriousAxe(page: Page, state: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  axeCounts[state] = serious.length;
  return serious;
}

/** Screenshot and axe of one page state. */
async function look(page: Page, state: string): Promise<void> {
  await page.screenshot({ path: join(SCREENS, `${state}.png`), fullPage: true });
  expect(await seriousAxe(page, state)).toEqual([]);
}

/** The form filled in and sent; resolves once the pre-call check passed (the queue place is asked for next). */
async function askForHelp(page: Page, base: string, name: string, problem: string): Promise<void> {
  await page.goto(`${base}/help`);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('What do you need help with?').fill(problem);
  await page.getByRole('button', { name: 'Request a Representative' }).click();
}

describe('the customer pages when closed, with a brand, in the customer time zone', () => {
  let server: ApiServer;
  let browser: Browser;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true });
    // Open around the clock in UTC except today: closed now, opening at the next UTC midnight, which is
    // 19:00 the day before in New York (EST in winter, EDT in summer: 20:00).
    // One after the other, so that a server that does not start leaves no browser behind (and the other way round).
    browser = await launchChromium();
    server = await startApiServer({
      ...SHARED_SECRETS,
      ...LIMITS_OFF,
      OPENING_HOURS: 'Mon-Sun 00:00-24:00; UTC',
      CLOSED_DATES: today,
      BRAND_NAME: 'Acme Help',
      BRAND_COLOR: '#0b5fff',
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const newContext = (viewport: { width: number; height: number }): Promise<BrowserContext> =>
    browser.newContext({ viewport, timezoneId: 'America/New_York', locale: 'en-GB' });

  it.each(Object.entries(SIZES))(
    'should say closed and when it opens in the customer time zone, with the brand (%s)',
    async (size, viewport) => {
      const context = await newContext(viewport);
      const page = await context.newPage();
      await page.goto(`${server.url}/`);
      await expectText(page.getByTestId('service-status'), 'We are closed right now.');
      const opensAt = (await page.getByTestId('opens-at').textContent()) ?? '';
      const expected = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'America/New_York' }).format(
        new Date(`${new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString()}`),
      );
      expect(opensAt).toContain(expected);
      expect(['19:00', '20:00']).toContain(expected);
      expect(await page.getByTestId('talk-to-rep').count()).toBe(0);
      expect(await page.getByTestId('brand-name').textContent()).toBe('Acme Help');
      await waitFor(async () => (await page.title()) === 'Acme Help — Customer service', { message: 'the brand in the title' });
      await look(page, `closed-${size}`);
      await context.close();
    },
  );

  it.each(Object.entries(SIZES))(
    'should take a callback request from the landing page, checked in the page (%s)',
    async (size, viewport) => {
      const context = await newContext(viewport);
      const page = await context.newPage();
      await page.goto(`${server.url}/`);
      await page.getByTestId('leave-callback').click();
      await page.getByLabel('Your name').fill(`Ada ${size}`);
      await page.getByLabel('What do you need help with?').fill('My router blinks red.');
      await page.getByRole('button', { name: 'Send the callback request' }).click();
      await expectText(page.getByTestId('callback-contact-error'), 'Give a phone number or an email address');
      await page.getByLabel('Phone').fill('12');
      await page.getByRole('button', { name: 'Send the callback request' }).click();
      await expectText(page.getByTestId('callback-phone-error'), 'The phone number must be digits (6 to 15');
      await look(page, `callback-form-errors-${size}`);
      await page.getByLabel('Phone').fill('+1 212 555 0100');
      await page.getByRole('button', { name: 'Send the callback request' }).click();
      await expectText(page.getByTestId('callback-deletion'), 'at the latest');
      await look(page, `callback-sent-${size}`);

      // A rep (over HTTP; the console is another page) sees it, claims it with the phone number and closes it.
      const rep = (await signIn(server.url, `Rep ${size}`)).body.token;
      const open = (await call<CallbackListResponse>(server.url, 'GET', '/callbacks', { token: rep })).body.open;
      const mine = open.find((request) => request.customerName === `Ada ${size}`);
      expect(mine).toMatchObject({ problemText: 'My router blinks red.' });
      const claimed = (await call<ClaimedCallback>(server.url, 'POST', `/callbacks/${mine?.id}/claim`, { token: rep })).body;
      expect(claimed.phone).toBe('+1 212 555 0100');
      expect((await call(server.url, 'POST', `/callbacks/${mine?.id}/outcome`, { token: rep, body: { outcome: 'done' } })).status).toBe(
        204,
      );
      expect((await call(server.url, 'POST', `/callbacks/${mine?.id}/claim`, { token: rep })).status).toBe(404);
      await context.close();
    },
  );

  it.each(Object.entries(SIZES))(
    'should turn a refused queue place to the callback form with the sentence (%s)',
    async (size, viewport) => {
      const context = await newContext(viewport);
      const page = await context.newPage();
      await askForHelp(page, server.url, 'Grace', 'The app crashes.');
      await expectText(page.getByTestId('callback-reason'), 'callback request');
      expect(await page.getByLabel('Your name').inputValue()).toBe('Grace');
      expect(await page.getByLabel('What do you need help with?').inputValue()).toBe('The app crashes.');
      await look(page, `callback-refused-${size}`);
      await page.getByLabel('Email').fill('grace@example.com');
      await page.getByRole('button', { name: 'Send the callback request' }).click();
      await page.getByTestId('callback-sent').waitFor();
      await context.close();
    },
  );
});

describe('the customer pages while open: nobody online, paused intake, the call screen, the rating', () => {
  let server: ApiServer;
  let browser: Browser;
  /** axe needs a page of its own context. */
  const openPage = async (viewport: { width: number; height: number }): Promise<Page> => (await browser.newContext({ viewport })).newPage();
  const ops = (path: string) => call<IntakeStateResponse>(server.url, 'POST', `/ops/intake${path}`, { token: TEST_OPS_TOKEN, body: {} });

  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true });
    // The rep is driven over HTTP, so the media never comes up: a long no-show keeps the reservation.
    browser = await launchChromium();
    server = await startApiServer({ ...SHARED_SECRETS, ...LIMITS_OFF, NO_SHOW_MS: '60000' });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each(Object.entries(SIZES))('should say that nobody is online before anything is typed (%s)', async (size, viewport) => {
    const page = await openPage(viewport);
    await page.goto(`${server.url}/`);
    await expectText(page.getByTestId('service-status'), 'No representative is online right now.');
    await page.getByTestId('talk-to-rep').waitFor();
    await look(page, `no-rep-online-${size}`);
    await page.context().close();
  });

  it('should keep a waiting customer while intake is paused, turn newcomers away, and serve the one waiting', async () => {
    const waiting = await openPage(PHONE);
    await askForHelp(waiting, server.url, 'Ada Lovelace', 'My router blinks red.');
    await expectText(waiting.getByTestId('no-rep-online'), 'No representative is online; you can wait or leave a callback request.');
    await waiting.getByTestId('callback-instead').waitFor();
    await look(waiting, 'waiting-no-rep-phone');
    await waiting.setViewportSize(DESKTOP);
    await look(waiting, 'waiting-no-rep-desktop');
    await waiting.setViewportSize(PHONE);

    expect((await ops('/pause')).body.paused).toBe(true);
    for (const [size, viewport] of Object.entries(SIZES)) {
      const newcomer = await openPage(viewport);
      await newcomer.goto(`${server.url}/`);
      await expectText(newcomer.getByTestId('service-status'), 'We are not taking new video calls at the moment.');
      await look(newcomer, `paused-${size}`);
      await askForHelp(newcomer, server.url, 'Late Comer', 'Too late.');
      await expectText(newcomer.getByTestId('callback-reason'), 'callback request');
      await newcomer.context().close();
    }

    // The one waiting is still served: the rep takes them, and the tab title says so.
    const rep = (await signIn(server.url, 'Grace')).body.token;
    const claim = (await claimNext(server.url, rep)).body;
    expect(claim?.helpSession.customerName).toBe('Ada Lovelace');
    await expectText(waiting.getByTestId('rep-name'), 'You are talking with Grace');
    await waitFor(async () => (await waiting.title()) === 'In a call with Grace · Service Kit — Customer service', {
      message: 'the tab title',
    });
    expect((await ops('/resume')).body.paused).toBe(false);
    // Connecting is not reconnecting: no connection indicator before the media flows; the side panel's slot is there.
    expect(await waiting.getByTestId('connection-quality').count()).toBe(0);
    expect(await waiting.getByTestId('call-side').count()).toBe(1);

    for (const [name, viewport] of Object.entries({
      '375x740': PHONE,
      '320x568': { width: 320, height: 568 },
      '740x375': { width: 740, height: 375 },
      '1280x800': DESKTOP,
    })) {
      await waiting.setViewportSize(viewport);
      for (const label of ['Mute', 'Camera off', 'End']) {
        const box = await waiting.getByRole('button', { name: label, exact: true }).boundingBox();
        expect(box).not.toBeNull();
        if (!box) continue;
        expect([name, label, box.x >= 0, box.y >= 0, box.x + box.width <= viewport.width, box.y + box.height <= viewport.height]).toEqual([
          name,
          label,
          true,
          true,
          true,
          true,
        ]);
      }
      const tile = await waiting.getByTestId('own-camera').boundingBox();
      expect(tile && tile.width < viewport.width / 2 && tile.y + tile.height <= viewport.height).toBe(true);
      // The heading is one line (the issue: three lines on a phone).
      const heading = await waiting.getByTestId('rep-name').boundingBox();
      expect(heading && heading.height < 40).toBe(true);
      const scrolls = await waiting.evaluate(() => document.documentElement.scrollHeight > window.innerHeight);
      expect([name, scrolls]).toEqual([name, false]);
      await look(waiting, `call-${name}`);
    }

    // The own camera moves with the keyboard and stays inside the screen.
    await waiting.setViewportSize(PHONE);
    // The page renders a move on its next frame: wait on the box, not on the key press.
    const ownCamera = waiting.getByTestId('own-camera');
    const before = await ownCamera.boundingBox();
    expect(before).not.toBeNull();
    await ownCamera.focus();
    await waiting.keyboard.press('ArrowLeft');
    await waiting.keyboard.press('ArrowDown');
    await waitFor(
      async () => {
        const after = await ownCamera.boundingBox();
        return Boolean(before && after && after.x < before.x && after.y > before.y);
      },
      { message: 'the own camera tile to move left and down' },
    );
    for (let i = 0; i < 40; i++) await waiting.keyboard.press('ArrowLeft');
    // Pressed far past the edge, it settles at the left edge of the screen, not beyond.
    await waitFor(
      async () => {
        const first = await ownCamera.boundingBox();
        await waiting.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        const second = await ownCamera.boundingBox();
        return Boolean(first && second && first.x === second.x);
      },
      { message: 'the own camera tile to settle' },
    );
    const left = await ownCamera.boundingBox();
    expect(left && left.x >= 0 && left.x < (before?.x ?? 0)).toBe(true);

    // The rep ends the call; the customer rates it in one tap, and the operators see the rating.
    expect((await endSession(server.url, claim?.helpSession.id ?? '', rep)).status).toBe(204);
    await expectText(waiting.getByTestId('end-message'), 'The representative ended the call.');
    await waitFor(async () => (await waiting.title()) === 'Call ended · Service Kit — Customer service', {
      message: 'the tab title after the call',
    });
    await waiting.getByTestId('feedback').waitFor();
    await look(waiting, 'feedback-phone');
    await waiting.setViewportSize(DESKTOP);
    await look(waiting, 'feedback-desktop');
    await waiting.getByLabel('Anything you want to tell us? (optional)').fill('Quick and kind.');
    await waiting.getByTestId('rate-4').click();
    await waiting.getByTestId('feedback-thanks').waitFor();
    const report = (await call<OpsFeedbackResponse>(server.url, 'GET', '/ops/feedback?days=1&comments=1', { token: TEST_OPS_TOKEN })).body;
    expect(report.days[0]).toMatchObject({
      count: 1,
      mean: 4,
      histogram: [0, 0, 0, 1, 0],
      comments: [{ rating: 4, comment: 'Quick and kind.' }],
    });

    // Ask again keeps the name and the problem in the form (in the page only).
    await waiting.getByTestId('ask-again').click();
    expect(await waiting.getByLabel('Your name').inputValue()).toBe('Ada Lovelace');
    expect(await waiting.getByLabel('What do you need help with?').inputValue()).toBe('My router blinks red.');
    await waiting.context().close();
  }, 180_000);

  it('should give up the queue place for a callback request while waiting', async () => {
    const page = await openPage(PHONE);
    await askForHelp(page, server.url, 'Bea', 'Printer jammed.');
    await page.getByTestId('callback-instead').click();
    await page.getByLabel('Email').fill('bea@example.com');
    await look(page, 'callback-instead-phone');
    await page.getByRole('button', { name: 'Send the callback request' }).click();
    await page.getByTestId('callback-sent').waitFor();
    await waitFor(async () => (await call<{ waiting: number }>(server.url, 'GET', '/status')).body.waiting === 0, {
      message: 'the queue place given up',
    });
    await page.context().close();
  });

  afterAll(() => {
    console.log(`axe serious/critical per page state: ${JSON.stringify(axeCounts)}`);
  });
});
