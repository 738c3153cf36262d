import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { WidgetEvent } from '@servicekit/contracts';
import { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { waitFor } from '@servicekit/tools/testing';
import {
  ApiServer,
  expectText,
  launchChromium,
  mintToken,
  SCREENSHOTS,
  SHARED_SECRETS,
  startApiServer,
  expectLiveVideo,
  repSignsIn as signInRep,
} from '@servicekit/tools/e2e-support';
import { HostSite, startHostSite } from './host-site';

const CONTEXT_SECRET = 'e2e-embed-context-secret-0123456789abcdef';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 740 };
const LAUNCHER = /^Talk to a Representative/;
const BRAND = { name: 'Acme Help', color: '#0b5fff' };
/** The host page's data-color (#5b2a86): it wins over BRAND_COLOR. */
const HOST_COLOR_RGB = 'rgb(91, 42, 134)';

declare global {
  interface Window {
    widgetEvents: WidgetEvent[];
    ServiceKit?: { open(options?: { context?: string }): void };
  }
}

/**
 * The widget on a company's own site, in real Chromium: the host page is served from a second origin
 * (another port on 127.0.0.1, which EMBED_ORIGINS lists; and localhost, which it does not), loads
 * `/embed.js` from the API's origin, and frames the customer app's embed page. Real WebRTC video with a rep
 * on `/rep/`.
 */
describe('the widget on another site', () => {
  let site: HostSite;
  let server: ApiServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    let apiUrl = '';
    site = await startHostSite(() => apiUrl);
    [server, browser] = await Promise.all([
      startApiServer({
        ...SHARED_SECRETS,
        EMBED_ORIGINS: `http://127.0.0.1:${site.port}`,
        EMBED_CONTEXT_SECRET: CONTEXT_SECRET,
        // The widget takes the company's name and colour from the server; the host page's data-color wins.
        BRAND_NAME: BRAND.name,
        BRAND_COLOR: BRAND.color,
        HELP_SESSION_RATE_LIMIT: '0',
        SIGN_IN_RATE_LIMIT: '0',
        PRESENCE_GRACE_MS: '2000',
      }),
      launchChromium(),
    ]);
    apiUrl = server.url;
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await site?.stop();
  });

  /** A page with everything its frames write on the console, and every URL they requested. */
  async function newPage(viewport = DESKTOP): Promise<{ page: Page; console: string[]; requests: string[] }> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    const console: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => console.push(message.text()));
    page.on('request', (request) => requests.push(request.url()));
    return { page, console, requests };
  }

  async function repSignsIn(name: string): Promise<Page> {
    const { page } = await newPage();
    await signInRep(page, server.url, name);
    return page;
  }

  /** The framed app, once it runs (the form is shown). */
  async function openWidget(page: Page): Promise<Frame> {
    await page.getByRole('button', { name: LAUNCHER }).click();
    const frame = await (await page.locator('iframe').elementHandle())?.contentFrame();
    if (!frame) throw new Error('The widget framed nothing');
    await frame.getByLabel('Your name').waitFor();
    return frame;
  }

  async function askForHelp(frame: Frame, name: string | null, problem: string): Promise<void> {
    if (name !== null) await frame.getByLabel('Your name').fill(name);
    await frame.getByLabel('What do you need help with?').fill(problem);
    await frame.getByRole('button', { name: 'Request a Representative' }).click();
    await expectFrameText(frame, 'queue-position', 'You are next.');
  }

  /** Waits until the element with this test id in the framed app shows the text. */
  async function expectFrameText(frame: Frame, testId: string, text: string): Promise<void> {
    await frame.waitForFunction(
      ([id, expected]) => (document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '').includes(expected),
      [testId, text] as const,
    );
  }

  const events = (page: Page) => page.evaluate(() => window.widgetEvents);

  async function eventsUntil(page: Page, name: WidgetEvent['name']): Promise<WidgetEvent[]> {
    await page.waitForFunction((n) => window.widgetEvents.some((event) => event.name === n), name);
    return events(page);
  }

  function contextToken(claims: Record<string, unknown>, secret = CONTEXT_SECRET): string {
    return mintToken({ exp: Math.floor(Date.now() / 1000) + 300, ...claims }, secret);
  }

  it.each([
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ])(
    'should let a customer wait and talk with a rep from another site, and tell the host every event in order (%s)',
    async (label, viewport) => {
      const { page, requests } = await newPage(viewport);
      await page.goto(site.pageUrl());
      const launcher = page.getByRole('button', { name: LAUNCHER });
      await launcher.waitFor();
      expect(await launcher.getAttribute('aria-expanded')).toBe('false');
      // Nothing of the app is loaded before the button is used.
      expect(await page.locator('iframe').count()).toBe(0);
      expect(requests.filter((url) => url.startsWith(server.url))).toEqual([`${server.url}/embed.js`]);
      await page.screenshot({ path: `${SCREENSHOTS}/widget-${label}-closed.png` });

      expect(await launcher.evaluate((button) => getComputedStyle(button).backgroundColor)).toBe(HOST_COLOR_RGB);
      const frame = await openWidget(page);
      await page.getByRole('dialog', { name: BRAND.name }).waitFor();
      // The launcher itself is hidden on a phone while the panel fills the screen.
      expect(await page.locator('.launcher').getAttribute('aria-expanded')).toBe('true');
      await page.screenshot({ path: `${SCREENSHOTS}/widget-${label}-open.png` });

      await askForHelp(frame, 'Ada Lovelace', 'My router blinks red.');
      // The host page itself posting what looks like an app message is not the app: ignored.
      await page.evaluate(() => window.postMessage({ source: 'servicekit', type: 'call-started' }, '*'));
      await eventsUntil(page, 'queued');
      await page.screenshot({ path: `${SCREENSHOTS}/widget-${label}-waiting.png` });

      const rep = await repSignsIn('Grace');
      await rep.getByTestId('next-customer').click();
      await expectText(rep.getByTestId('customer-name'), 'Ada Lovelace');
      await expectFrameText(frame, 'rep-name', 'Grace');
      await expectLiveVideo(frame);
      await expectLiveVideo(rep);
      await eventsUntil(page, 'call-started');
      await page.screenshot({ path: `${SCREENSHOTS}/widget-${label}-in-call.png` });

      await rep.getByTestId('end-call').click();
      await expectFrameText(frame, 'end-message', 'The representative ended the call.');
      await eventsUntil(page, 'call-ended');
      await page.getByRole('button', { name: 'Close' }).click();
      expect(await eventsUntil(page, 'closed')).toEqual([
        { name: 'opened' },
        { name: 'queued', position: 1 },
        { name: 'call-started' },
        { name: 'call-ended', reason: 'rep-ended' },
        { name: 'closed' },
      ]);
      expect(await page.locator('iframe').count()).toBe(0);
    },
  );

  it('should prefill the form from a signed context token and show the rep the verified reference; a forged one does neither', async () => {
    const rep = await repSignsIn('Grace');

    const signed = await newPage();
    await signed.page.goto(site.pageUrl({ context: contextToken({ name: 'Ada Lovelace', reference: 'Order 4711' }) }));
    const frame = await openWidget(signed.page);
    await frame.waitForFunction(() => (document.querySelector('#customer-name') as HTMLInputElement).value === 'Ada Lovelace');
    await expectFrameText(frame, 'context-reference', 'Order 4711');
    await askForHelp(frame, null, 'The router from my order blinks red.');
    await rep.getByTestId('next-customer').click();
    await expectText(rep.getByTestId('customer-name'), 'Ada Lovelace');
    await expectText(rep.getByTestId('customer-reference'), 'Order 4711');
    await rep.getByTestId('reference-verified').waitFor();
    await rep.getByTestId('name-verified').waitFor();
    await rep.screenshot({ path: `${SCREENSHOTS}/widget-rep-verified-reference.png` });
    await rep.getByTestId('end-call').click();
    await rep.getByTestId('next-customer').waitFor();

    // A token signed with another key, handed over through the JS API this time.
    const forged = await newPage();
    await forged.page.goto(site.pageUrl());
    await forged.page.getByRole('button', { name: LAUNCHER }).waitFor();
    const forgedToken = contextToken({ name: 'Mallory Admin', reference: 'Order 1' }, 'someone-elses-secret-0123456789abcdefgh');
    await forged.page.evaluate((token) => window.ServiceKit?.open({ context: token }), forgedToken);
    const forgedFrame = await (await forged.page.locator('iframe').elementHandle())?.contentFrame();
    if (!forgedFrame) throw new Error('The widget framed nothing');
    await forgedFrame.getByLabel('Your name').waitFor();
    await waitForConsole(forged.console, /context token was ignored.*not signed with/);
    expect(await forgedFrame.getByLabel('Your name').inputValue()).toBe('');
    expect(await forgedFrame.getByTestId('context-reference').count()).toBe(0);
    await askForHelp(forgedFrame, 'Mallory', 'Let me in.');
    await rep.getByTestId('next-customer').click();
    await expectText(rep.getByTestId('customer-name'), 'Mallory');
    expect(await rep.getByTestId('customer-reference').count()).toBe(0);
    expect(await rep.getByTestId('name-verified').count()).toBe(0);
    await rep.getByTestId('end-call').click();
    // The token reached no log line of the server.
    expect(server.output()).not.toContain(forgedToken.split('.')[1]);
  });

  it.each([
    [
      'tampered',
      () => tampered(contextToken({ name: 'Ada Lovelace', reference: 'Order 4711' })),
      /context token was ignored\. The context token is not signed with/,
    ],
    [
      'expired',
      () => contextToken({ name: 'Ada Lovelace', exp: Math.floor(Date.now() / 1000) - 5 }),
      /context token was ignored\. The context token has expired: sign a new one/,
    ],
  ])('should ignore a %s context token with a sentence on the console, and still take the request', async (_label, token, warning) => {
    const { page, console } = await newPage();
    await page.goto(site.pageUrl({ context: token() }));
    const frame = await openWidget(page);
    await waitForConsole(console, warning);
    expect(await frame.getByLabel('Your name').inputValue()).toBe('');
    expect(await frame.getByTestId('context-reference').count()).toBe(0);
    await askForHelp(frame, 'Ada Lovelace', 'My router blinks red.');
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await eventsUntil(page, 'closed')).toEqual([
      { name: 'opened' },
      { name: 'queued', position: 1 },
      { name: 'call-ended', reason: 'cancelled' },
      { name: 'closed' },
    ]);
  });

  it('should work from the keyboard: Tab to the button, Enter opens, Escape minimises, focus comes back', async () => {
    const { page } = await newPage();
    await page.goto(site.pageUrl());
    const launcher = page.getByRole('button', { name: LAUNCHER });
    await launcher.waitFor();
    // The shop's own link first, then the widget's button, which the page added last.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('launcher');
    await page.screenshot({ path: `${SCREENSHOTS}/widget-desktop-focus.png` });

    await page.keyboard.press('Enter');
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    const frame = await (await page.locator('iframe').elementHandle())?.contentFrame();
    await frame?.getByLabel('Your name').waitFor();
    expect(await focused(page)).toBe('IFRAME');
    // Back out of the frame to the panel's own buttons; Escape there minimises and returns to the launcher.
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('close');
    await page.keyboard.press('Escape');
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await focused(page)).toBe('launcher');
    expect(await page.locator('iframe').count()).toBe(1);

    await page.keyboard.press('Space');
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    expect(await focused(page)).toBe('IFRAME');
    // Backwards through the app's own controls (where the frame's focus was left), out to the panel's Close.
    for (let presses = 0; presses < 10 && (await focused(page)) !== 'close'; presses++) await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('close');
    await page.keyboard.press('Enter');
    await eventsUntil(page, 'closed');
    expect(await page.locator('iframe').count()).toBe(0);
    expect(await focused(page)).toBe('launcher');
  });

  it('should be refused by the browser on a site that EMBED_ORIGINS does not list (localhost, not 127.0.0.1)', async () => {
    const { page, console, requests } = await newPage();
    const navigated: string[] = [];
    page.on('framenavigated', (frame) => navigated.push(frame.url()));
    await page.goto(site.pageUrl({ host: 'localhost' }));
    await page.getByRole('button', { name: LAUNCHER }).click();
    await waitForConsole(console, /frame-ancestors/);
    // The widget notices that the app never came up, and offers it in a tab of its own.
    await expectText(page.locator('.fallback'), 'The help window cannot open on this page.');
    expect(navigated.filter((url) => url.startsWith(`${server.url}/embed`))).toEqual([]);
    // The app never ran: it never asked for its settings, or for anything else past its page.
    const paths = requests.filter((url) => url.startsWith(server.url)).map((url) => new URL(url).pathname);
    expect(paths.filter((path) => path !== '/embed.js' && path !== '/embed')).toEqual([]);
    expect(await events(page)).toEqual([{ name: 'opened' }]);
    expect(console.join('\n')).toContain('EMBED_ORIGINS');
  });

  it.each(['/rep/', '/rep/ops', '/', '/help'])('should let no site frame %s, not even one in EMBED_ORIGINS', async (path) => {
    const { page, console } = await newPage();
    await page.goto(site.framingUrl(path));
    await waitForConsole(console, /frame-ancestors 'none'/);
    const headers = (await fetch(`${server.url}${path}`)).headers;
    expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(headers.get('x-frame-options')).toBe('DENY');
  });

  it('should have no serious or critical accessibility violations on the host page, widget closed and open', async () => {
    const { page } = await newPage();
    await page.goto(site.pageUrl());
    await page.getByRole('button', { name: LAUNCHER }).waitFor();
    const serious = async () =>
      (await new AxeBuilder({ page }).analyze()).violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
    const closed = await serious();
    await openWidget(page);
    const open = await serious();
    process.stdout.write(`axe serious/critical violations: closed ${closed.length}, open ${open.length}\n`);
    expect({ closed, open }).toEqual({ closed: [], open: [] });
  });

  it('should serve the loader to other sites as one script of at most 6 KB gzip', async () => {
    const reply = await fetch(`${server.url}/embed.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(reply.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(reply.headers.get('content-encoding')).toBe('gzip');
    const gzipBytes = Number(reply.headers.get('content-length'));
    process.stdout.write(`embed.js: ${gzipBytes} bytes gzip\n`);
    expect(gzipBytes).toBeGreaterThan(1000);
    expect(gzipBytes).toBeLessThanOrEqual(6 * 1024);
  });
});

/** What has the focus: a class of the widget's own elements, or the tag name of a host page element. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const inner = document.querySelector('[data-servicekit]')?.shadowRoot?.activeElement;
    return inner ? inner.className || inner.tagName : (document.activeElement?.tagName ?? 'none');
  });
}

/** The same token with its claims swapped for a forger's, the signature left as it was. */
function tampered(token: string): string {
  const [header, , signature] = token.split('.');
  const claims = Buffer.from(JSON.stringify({ name: 'Mallory', reference: 'Order 1', exp: Math.floor(Date.now() / 1000) + 300 })).toString(
    'base64url',
  );
  return `${header}.${claims}.${signature}`;
}

/** Waits until a console line matches (what the browser writes comes as it comes). */
async function waitForConsole(lines: string[], pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  await waitFor(() => lines.some((line) => pattern.test(line)), { timeoutMs, message: `a console line matching ${pattern}` });
}
