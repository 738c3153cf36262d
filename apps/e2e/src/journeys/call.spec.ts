import { Browser, BrowserContext, Page } from 'playwright-core';
import {
  SHARED_SECRETS,
  ApiServer,
  startApiServer,
  launchChromium,
  expectText,
  SCREENSHOTS,
  expectLiveVideo,
  repSignsIn as signInRep,
} from '@servicekit/tools/e2e-support';
import { mkdirSync } from 'node:fs';

/**
 * Whole journeys in real Chromium with a fake camera and microphone: customers on `/`, reps on `/rep/`,
 * real WebRTC video through the built-in P2P provider.
 */
describe('customers and reps in real browsers', () => {
  let server: ApiServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([
      startApiServer({
        ...SHARED_SECRETS,
        HELP_SESSION_RATE_LIMIT: '0',
        SIGN_IN_RATE_LIMIT: '0',
        PRESENCE_GRACE_MS: '2000',
        CALL_REJOIN_MS: '3000',
      }),
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

  /** Every script any page loaded, to prove what was (not) downloaded. */
  const scripts = new Set<string>();

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('response', (response) => {
      if (response.url().endsWith('.js')) scripts.add(response.url());
    });
    return page;
  }

  async function customerAsks(name: string, problem: string): Promise<Page> {
    const page = await newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Talk to a Representative' }).click();
    await page.getByLabel('Your name').fill(name);
    await page.getByLabel('What do you need help with?').fill(problem);
    await page.getByRole('button', { name: 'Request a Representative' }).click();
    await page.getByTestId('queue-position').waitFor();
    return page;
  }

  async function repSignsIn(name: string): Promise<Page> {
    const page = await newPage();
    await signInRep(page, server.url, name);
    return page;
  }

  it('should connect a customer and a rep with live video both ways, and End on one side ends both', async () => {
    const customer = await customerAsks('Ada Lovelace', 'My <b>router</b> blinks red.');
    await expectText(customer.getByTestId('queue-position'), 'You are next.');
    await customer.screenshot({ path: `${SCREENSHOTS}/customer-waiting.png` });
    const rep = await repSignsIn('Grace');
    await rep.screenshot({ path: `${SCREENSHOTS}/rep-console.png` });
    await rep.getByTestId('next-customer').click();
    await expectText(rep.getByTestId('customer-name'), 'Ada Lovelace');
    await expectText(rep.getByTestId('customer-problem'), 'My <b>router</b> blinks red.');
    await expectText(customer.getByTestId('rep-name'), 'Grace');
    await expectLiveVideo(customer);
    await expectLiveVideo(rep);
    await customer.screenshot({ path: `${SCREENSHOTS}/customer-in-call.png` });
    await rep.screenshot({ path: `${SCREENSHOTS}/rep-in-call.png` });

    await rep.getByTestId('end-call').click();
    await expectText(customer.getByTestId('end-message'), 'The representative ended the call.');
    await customer.getByRole('button', { name: 'Ask again' }).waitFor();

    // Built-in video: the 3 MB OpenTok SDK chunk (it contains "OTHelpers") was never downloaded.
    const bodies = await Promise.all([...scripts].map(async (url) => (await fetch(url)).text()));
    expect(bodies.length).toBeGreaterThan(3);
    expect(bodies.filter((body) => body.includes('OTHelpers'))).toEqual([]);
  });

  it('should end the call for the rep when the customer presses End', async () => {
    const customer = await customerAsks('Alan', 'Cannot log in.');
    const rep = await repSignsIn('Grace');
    await rep.getByTestId('next-customer').click();
    await expectLiveVideo(customer);
    await customer.getByRole('button', { name: 'End', exact: true }).click();
    await expectText(customer.getByTestId('end-message'), 'You ended the call.');
    await expectText(rep.getByTestId('rep-notice'), 'The customer ended the call.');
  });

  it('should serve three customers in FIFO order with two reps, the third waiting with a position', async () => {
    const first = await customerAsks('First', 'One');
    const second = await customerAsks('Second', 'Two');
    const third = await customerAsks('Third', 'Three');
    await expectText(third.getByTestId('queue-position'), 'You are number 3 in line.');
    const repA = await repSignsIn('Rep A');
    const repB = await repSignsIn('Rep B');
    await repA.getByTestId('next-customer').click();
    await expectText(repA.getByTestId('customer-name'), 'First');
    await repB.getByTestId('next-customer').click();
    await expectText(repB.getByTestId('customer-name'), 'Second');
    await expectText(third.getByTestId('queue-position'), 'You are next.');
    await expectLiveVideo(first);
    await repA.getByTestId('end-call').click();
    await repA.getByTestId('next-customer').click();
    await expectText(repA.getByTestId('customer-name'), 'Third');
    await expectText(third.getByTestId('rep-name'), 'Rep A');
    await expect(second.getByTestId('rep-name').textContent()).resolves.toContain('Rep B');
  });

  it('should never hand a rep a customer who cancelled or closed the tab while waiting', async () => {
    const cancelling = await customerAsks('Cancelling', 'Changed my mind.');
    const closing = await customerAsks('Closing', 'Closing the tab.');
    const staying = await customerAsks('Staying', 'Still here.');
    await cancelling.getByTestId('cancel').click();
    await expectText(cancelling.getByTestId('end-message'), 'You left the queue.');
    await closing.context().close();
    // The tab is gone for good once the grace period is over: the one who stays moves up.
    await expectText(staying.getByTestId('queue-position'), 'You are next.');
    const rep = await repSignsIn('Grace');
    await rep.getByTestId('next-customer').click();
    await expectText(rep.getByTestId('customer-name'), 'Staying');
  });

  it('should tell the rep when the customer closes the tab in a call and is not back within the rejoin window', async () => {
    const customer = await customerAsks('Leaving', 'Will close the tab.');
    const rep = await repSignsIn('Grace');
    await rep.getByTestId('next-customer').click();
    await expectLiveVideo(rep);
    await customer.context().close();
    await expectText(rep.getByTestId('rep-notice'), 'The call ended because the connection could not be restored in time.');
  });
});
