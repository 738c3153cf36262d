import { mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { CoturnServer, startCoturn } from '@servicekit/tools/testing';
import type { Browser, Page } from 'playwright-core';
import { ApiServer, call, expectText, launchChromium, SCREENSHOTS, SHARED_SECRETS, startApiServer } from '@servicekit/tools/e2e-support';
import { customerAsks, expectAccessible, expectInView, outcomeOf, repSignsIn } from './video-journey';

const SIZES = [
  { name: 'phone', width: 375, height: 740 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;

/**
 * The pre-call check in real Chromium against a real coturn: Pass (relay policy, right secret), Warn (STUN
 * and TURN, but only the relay gets through: no server-reflexive address on this machine's documentation-range
 * interface), Fail (the relay refuses the credentials). Fail takes no queue place. Screenshots of each at a
 * phone and a desktop size, with the controls in view and no serious accessibility violation.
 */
describe('the pre-call check', () => {
  let coturn: CoturnServer;
  const servers: Record<'pass' | 'warn' | 'fail', ApiServer> = {} as never;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    coturn = await startCoturn();
    const env = { ...SHARED_SECRETS, HELP_SESSION_RATE_LIMIT: '0', SIGN_IN_RATE_LIMIT: '0', TURN_URLS: coturn.turnUrl };
    [servers.pass, servers.warn, servers.fail, browser] = await Promise.all([
      startApiServer({ ...env, TURN_SECRET: coturn.secret, ICE_TRANSPORT_POLICY: 'relay' }),
      startApiServer({ ...env, TURN_SECRET: coturn.secret, STUN_URLS: coturn.stunUrl, ICE_TRANSPORT_POLICY: 'all' }),
      startApiServer({ ...env, TURN_SECRET: 'not-the-secret-of-this-coturn', ICE_TRANSPORT_POLICY: 'relay' }),
      launchChromium(),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(Object.values(servers).map((server) => server.stop()));
    await coturn?.stop();
  });

  describe.each(SIZES)('at $width × $height', (size) => {
    async function page(options: { userAgent?: string } = {}): Promise<Page> {
      const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, ...options });
      return context.newPage();
    }

    it('should pass with a working relay and take the queue place', async () => {
      const customer = await page();
      await customerAsks(customer, servers.pass.url, 'Ada', 'Checking before the call.');

      expect(await outcomeOf(customer)).toBe('pass');
      await expectText(customer.getByTestId('precall-result'), 'Your connection is ready for a video call.');
      await expectText(customer.getByTestId('queue-position'), 'You are next.');
      await customer.screenshot({ path: `${SCREENSHOTS}/precall-pass-${size.name}.png` });
      await expectInView(customer, customer.getByTestId('cancel'));
      await expectAccessible(customer);
      await customer.getByTestId('cancel').click();
      await customer.context().close();
    });

    it('should warn when only the relay gets through, say what to do, and still take the queue place', async () => {
      const customer = await page();
      await customerAsks(customer, servers.warn.url, 'Alan', 'Behind a strict network.');

      expect(await outcomeOf(customer)).toBe('warn');
      await expectText(customer.getByTestId('precall-result'), 'only by way of our relay');
      await customer.getByTestId('queue-position').waitFor();
      await customer.screenshot({ path: `${SCREENSHOTS}/precall-warn-${size.name}.png` });
      await expectInView(customer, customer.getByTestId('cancel'));
      await expectAccessible(customer);
      await customer.getByTestId('cancel').click();
      await customer.context().close();
    });

    it('should fail when nothing gets through, say what to do, offer to check again and take no place', async () => {
      const customer = await page();
      await customerAsks(customer, servers.fail.url, 'Edsger', 'Nothing gets through.');

      expect(await outcomeOf(customer)).toBe('fail');
      await expectText(customer.getByTestId('precall-result'), 'Your network blocks video calls');
      await customer.screenshot({ path: `${SCREENSHOTS}/precall-fail-${size.name}.png` });
      await expectInView(customer, customer.getByTestId('retry-devices'));
      await expectAccessible(customer);
      expect((await call<{ waiting: number }>(servers.fail.url, 'GET', '/status')).body.waiting).toBe(0);
      await customer.context().close();
    });

    it.each(['pass', 'warn', 'fail'] as const)(
      'should show the rep the %s outcome on sign-in, start allowed only on pass or warn',
      async (outcome) => {
        const rep = await page();
        await repSignsIn(rep, servers[outcome].url, 'Grace', { start: false });

        expect(await outcomeOf(rep)).toBe(outcome);
        expect(await rep.getByTestId('rep-devices-ok').count()).toBe(outcome === 'fail' ? 0 : 1);
        await rep.screenshot({ path: `${SCREENSHOTS}/precall-rep-${outcome}-${size.name}.png` });
        await expectInView(rep, rep.getByTestId(outcome === 'fail' ? 'rep-devices-retry' : 'rep-devices-ok'));
        await expectAccessible(rep);
        await rep.context().close();
      },
    );

    it('should tell someone in an in-app browser to open the page in Chrome or Safari, before any form', async () => {
      const customer = await page({
        userAgent:
          'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36 Instagram 312.0',
      });
      await customer.goto(`${servers.pass.url}/help`);

      await expectText(customer.getByTestId('media-unsupported'), 'Open the page in your browser (Chrome or Safari)');
      expect(await customer.getByLabel('Your name').count()).toBe(0);
      await customer.screenshot({ path: `${SCREENSHOTS}/precall-in-app-${size.name}.png` });
      await expectAccessible(customer);
      await customer.context().close();
    });
  });

  describe('on a page opened over plain http', () => {
    let open: ApiServer;
    const address = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address;

    beforeAll(async () => {
      open = await startApiServer({ ...SHARED_SECRETS, HOST: '0.0.0.0' });
    });

    afterAll(async () => {
      await open?.stop();
    });

    it('should say the camera needs https, naming what to do', async () => {
      if (!address) throw new Error('This test needs a non-loopback IPv4 interface (a page on loopback counts as secure).');
      const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
      const customer = await context.newPage();
      await customer.goto(`http://${address}:${open.port}/help`);

      expect(await customer.evaluate(() => window.isSecureContext)).toBe(false);
      await expectText(customer.getByTestId('media-unsupported'), 'Open it with an https:// address instead.');
      await customer.screenshot({ path: `${SCREENSHOTS}/precall-insecure-phone.png` });
      await context.close();
    });
  });
});
