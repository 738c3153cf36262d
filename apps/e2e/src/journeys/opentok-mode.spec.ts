import { OpenTokStandIn, startOpenTokStandIn, waitFor } from '@servicekit/tools/testing';
import { Browser } from 'playwright-core';
import {
  claimNext,
  createHelpSession,
  SHARED_SECRETS,
  signIn,
  ApiServer,
  startApiServer,
  launchChromium,
  expectText,
} from '@servicekit/tools/e2e-support';

/**
 * OpenTok mode, as far as it can go offline: the API talks to a local stand-in of the OpenTok REST API, and
 * the customer's browser downloads the OpenTok SDK chunk only now (it cannot reach the Vonage cloud).
 */
describe('OpenTok mode', () => {
  const apiKey = '4700123';
  const apiSecret = 'e2e-opentok-secret-0123456789abcdef';
  let standIn: OpenTokStandIn;
  let server: ApiServer;
  let browser: Browser;

  beforeAll(async () => {
    standIn = await startOpenTokStandIn({ apiKey, apiSecret });
    [server, browser] = await Promise.all([
      startApiServer({
        ...SHARED_SECRETS,
        OPENTOK_API_KEY: apiKey,
        OPENTOK_API_SECRET: apiSecret,
        OPENTOK_API_URL: standIn.url,
        HELP_SESSION_RATE_LIMIT: '0',
        NO_SHOW_MS: '60000',
      }),
      launchChromium(),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await standIn?.stop();
  });

  it('should hand out OpenTok credentials and load the OpenTok SDK in the browser only for the call', async () => {
    const created = (await createHelpSession(server.url)).body;
    expect(created.video).toMatchObject({ provider: 'opentok', apiKey, sessionId: expect.stringMatching(/^1_/) });
    expect(server.output()).toMatch(/video\s+OpenTok/);

    const page = await browser.newPage();
    const scripts: string[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('.js')) scripts.push(response.url());
    });
    const sdkLoaded = async () => {
      const bodies = await Promise.all(scripts.map(async (url) => (await fetch(url)).text()));
      return bodies.some((body) => body.includes('OTHelpers'));
    };
    await page.goto(`${server.url}/help`);
    await page.getByLabel('Your name').fill('Ada');
    await page.getByLabel('What do you need help with?').fill('Router');
    await page.getByRole('button', { name: 'Request a Representative' }).click();
    await page.getByTestId('queue-position').waitFor();
    expect(await sdkLoaded()).toBe(false);

    const rep = (await signIn(server.url)).body.token;
    const claimed = await claimNext(server.url, rep);
    expect(claimed.body?.video).toMatchObject({ provider: 'opentok', apiKey });
    await expectText(page.getByTestId('rep-name'), 'Grace');
    await waitFor(sdkLoaded, { timeoutMs: 20_000, message: 'the OpenTok SDK chunk to load' });
    await page.close();
  });
});
