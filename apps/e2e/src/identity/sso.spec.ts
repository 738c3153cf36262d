import { mkdirSync } from 'node:fs';
import type { RepSessionResponse } from '@servicekit/contracts';
import { freePort } from '@servicekit/tools/testing';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { OidcProviderProcess, seriousAxeViolations, startOidcProvider } from './identity-support';
import {
  TEST_OPS_TOKEN,
  TEST_TOKEN_SECRET,
  ApiServer,
  startApiServer,
  launchChromium,
  expectText,
  SCREENSHOTS,
} from '@servicekit/tools/e2e-support';

const CLIENT_ID = 'servicekit-e2e';
const CLIENT_SECRET = 'e2e-oidc-client-secret-0123456789';

/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider, in a child process), through its
 * login and consent pages in real Chromium: the authorization code flow with PKCE, state and nonce.
 */
describe('single sign-on with OpenID Connect', () => {
  let provider: OidcProviderProcess;
  let server: ApiServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    provider = await startOidcProvider({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: `${publicUrl}/api/reps/sso/callback`,
      postLogoutRedirectUri: `${publicUrl}/rep/`,
      users: {
        ada: { name: 'Ada Lovelace', groups: ['servicekit-reps'] },
        sue: { name: 'Sue Supervisor', groups: ['servicekit-reps', 'servicekit-supervisors'] },
        bob: { name: 'Bob Sales', groups: ['sales'] },
      },
    });
    [server, browser] = await Promise.all([
      startApiServer({
        PORT: String(port),
        PUBLIC_URL: publicUrl,
        TOKEN_SECRET: TEST_TOKEN_SECRET,
        OPS_TOKEN: TEST_OPS_TOKEN,
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: CLIENT_ID,
        OIDC_CLIENT_SECRET: CLIENT_SECRET,
        OIDC_REP_GROUP: 'servicekit-reps',
        OIDC_SUPERVISOR_GROUP: 'servicekit-supervisors',
        OIDC_PROVIDER_NAME: 'Test ID',
        OIDC_SCOPES: 'openid profile groups',
        SIGN_IN_RATE_LIMIT: '0',
      }),
      launchChromium(),
    ]);
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  });

  afterEach(async () => {
    await context?.close();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await provider?.stop();
  });

  /** From the rep app's button through the provider's login and consent pages. */
  async function signInAtProvider(page: Page, login: string): Promise<void> {
    await page.goto(`${server.url}/rep/`);
    await page.getByRole('link', { name: 'Sign in with Test ID' }).click();
    await page.waitForURL(`${provider.issuer}/**`);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password will do here');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  const currentSession = (page: Page) =>
    page.evaluate(async () => {
      const reply = await fetch('/api/reps/sessions/current');
      return { status: reply.status, body: (await reply.json()) as RepSessionResponse };
    });

  it('should offer only single sign-on when nothing else is configured', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/rep/`);
    await page.getByRole('link', { name: 'Sign in with Test ID' }).waitFor();
    expect(await page.getByTestId('rep-passcode').count()).toBe(0);
    expect(await page.getByTestId('rep-login').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/identity-sign-in-sso-1280.png` });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 375, height: 740 });
    await page.screenshot({ path: `${SCREENSHOTS}/identity-sign-in-sso-375.png` });
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('should sign a member of the rep group in, to the console, and sign out of the provider too', async () => {
    const page = await context.newPage();
    await signInAtProvider(page, 'ada');
    await page.waitForURL(`${server.url}/rep/console`);
    await page.getByTestId('rep-devices-ok').waitFor();
    const session = await currentSession(page);
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ name: 'Ada Lovelace', roles: ['rep'], via: 'sso' });

    await page.getByTestId('rep-sign-out').click();
    // RP-initiated logout: the provider asks to confirm, then sends the browser back to the rep app.
    await page.waitForURL(`${provider.issuer}/**`);
    await page.getByRole('button', { name: /Yes, sign me out/i }).click();
    await page.waitForURL(`${server.url}/rep/`);
    await page.getByRole('link', { name: 'Sign in with Test ID' }).waitFor();
    expect((await currentSession(page)).status).toBe(401);
  });

  it('should give a member of the supervisor group the supervisor role', async () => {
    const page = await context.newPage();
    await signInAtProvider(page, 'sue');
    await page.waitForURL(`${server.url}/rep/console`);
    expect((await currentSession(page)).body.roles).toEqual(['rep', 'supervisor']);
  });

  it('should refuse someone outside the rep group with a sentence', async () => {
    const page = await context.newPage();
    await signInAtProvider(page, 'bob');
    await page.waitForURL(`${server.url}/rep/?sso_error=not-a-rep`);
    await expectText(
      page.getByTestId('sso-error'),
      'Your account is not in the representatives group. Ask your administrator to add you, then try again.',
    );
    expect((await currentSession(page)).status).toBe(401);
  });

  it('should refuse a provider answer whose state was tampered with', async () => {
    const page = await context.newPage();
    // The state goes to the provider changed by one character (the browser keeps the original in its cookie);
    // the provider hands it back unchanged, as it must.
    let tampered = false;
    await page.route(`${server.url}/api/reps/sso`, async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const location = new URL(response.headers()['location'] ?? '');
      location.searchParams.set('state', `${location.searchParams.get('state') ?? ''}x`);
      tampered = true;
      await route.fulfill({ response, headers: { ...response.headers(), location: location.href } });
    });
    await signInAtProvider(page, 'ada');
    expect(tampered).toBe(true);
    await page.waitForURL(`${server.url}/rep/?sso_error=state`);
    await expectText(page.getByTestId('sso-error'), 'That sign-in link was not started here or has expired.');
    expect((await currentSession(page)).status).toBe(401);
  });

  it('should refuse a callback without the state cookie of the browser that started it', async () => {
    const start = await fetch(`${server.url}/api/reps/sso`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const location = new URL(start.headers.get('location') ?? '');
    expect(location.origin).toBe(provider.issuer);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('nonce')).toBeTruthy();
    expect(start.headers.get('set-cookie')).toMatch(/^__Host-sk_sso=[^;]+;.*HttpOnly; Secure; SameSite=Lax/);
    const state = location.searchParams.get('state') ?? '';
    const callback = await fetch(`${server.url}/api/reps/sso/callback?code=made-up&state=${state}`, { redirect: 'manual' });
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/rep/?sso_error=state');
  });
});
