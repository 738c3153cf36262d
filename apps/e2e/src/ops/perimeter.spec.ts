import { Browser, Page } from 'playwright-core';
import {
  createHelpSession,
  enqueue,
  SHARED_SECRETS,
  TEST_SUPERVISOR_PASSCODE,
  ApiServer,
  startApiServer,
  launchChromium,
} from '@servicekit/tools/e2e-support';

/** Every endpoint of the API, as the OpenAPI document must list it. */
const EVERY_PATH = [
  'POST /api/help-sessions',
  'POST /api/help-sessions/{id}/queue',
  'DELETE /api/help-sessions/{id}/queue',
  'DELETE /api/help-sessions/{id}',
  'GET /api/reps/sign-in',
  'POST /api/reps/sessions',
  'POST /api/reps/sessions/account',
  'GET /api/reps/sessions/current',
  'DELETE /api/reps/sessions',
  'GET /api/reps/sso',
  'GET /api/reps/sso/callback',
  'GET /api/ops/reps',
  'DELETE /api/ops/reps/{repId}/session',
  'POST /api/queue/next',
  'GET /api/health',
  'GET /api/health/ready',
  'GET /api/ops/queue',
  'GET /api/metrics',
];

interface OpenApi {
  paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
}

/** Collects the Content-Security-Policy violations a page reports. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportViolation(text: string): void }).reportViolation(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

describe('the perimeter', () => {
  let server: ApiServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startApiServer({ ...SHARED_SECRETS, HELP_SESSION_RATE_LIMIT: '0' }), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('should describe every endpoint in the OpenAPI document, with bearer schemes', async () => {
    const reply = await fetch(`${server.url}/api/docs-json`);
    expect(reply.status).toBe(200);
    const document = (await reply.json()) as OpenApi;
    const listed = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(listed).toEqual(expect.arrayContaining(EVERY_PATH));
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['customer', 'operator', 'rep']);
    expect(document.paths['/api/ops/queue']?.['get']?.security).toEqual([{ operator: [] }]);
    expect(document.paths['/api/queue/next']?.['post']?.security).toEqual([{ rep: [] }]);

    const ui = await fetch(`${server.url}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
  });

  it('should send security headers that still let the apps use the camera, blob media and same-host sockets', async () => {
    const reply = await fetch(`${server.url}/`);
    expect(reply.status).toBe(200);
    const csp = reply.headers.get('content-security-policy') ?? '';
    const directive = (name: string) =>
      csp
        .split(';')
        .find((d) => d.trim().startsWith(`${name} `))
        ?.trim();
    expect(directive('default-src')).toBe("default-src 'self'");
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(directive('style-src')).toBe("style-src 'self' 'unsafe-inline'");
    expect(directive('media-src')).toBe("media-src 'self' blob:");
    expect(directive('img-src')).toBe("img-src 'self' data: blob:");
    expect(directive('connect-src')).toContain(`ws://127.0.0.1:${server.port}`);
    expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(reply.headers.get('permissions-policy')).toMatch(/camera=\(self\), microphone=\(self\)/);
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
    expect(reply.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should answer cross-site calls with no CORS permission when CORS_ORIGINS is unset', async () => {
    const reply = await fetch(`${server.url}/api/help-sessions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
    });
    expect(reply.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('should run the customer app and the rep app under that policy without a violation', async () => {
    for (const [path, ready] of [
      ['/', (page: Page) => page.getByRole('button', { name: 'Talk to a Representative' }).waitFor()],
      ['/rep/ops', (page: Page) => page.getByRole('link', { name: 'Sign in as a supervisor' }).waitFor()],
    ] as const) {
      const page = await browser.newPage();
      const violations = await watchViolations(page);
      await page.goto(`${server.url}${path}`);
      await ready(page);
      // Angular's deferred stylesheet switches itself on with an inline onload, allowed by its hash.
      await page.waitForFunction(() =>
        Array.from(document.querySelectorAll('link[rel="stylesheet"]')).every((l) => (l as HTMLLinkElement).media === 'all'),
      );
      expect(violations).toEqual([]);
      await page.close();
    }
  });

  it('should show a supervisor the live queue at /rep/ops after signing in, names only when asked', async () => {
    const session = (await createHelpSession(server.url, 'Olga Operatorview', 'Printer on fire')).body;
    await enqueue(server.url, session);
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await page.goto(`${server.url}/rep/ops`);

    await page.getByRole('link', { name: 'Sign in as a supervisor' }).click();
    await page.getByTestId('rep-name').fill('Sue');
    await page.getByTestId('rep-passcode').fill(TEST_SUPERVISOR_PASSCODE);
    await page.getByTestId('rep-sign-in').click();
    const table = page.getByRole('table', { name: /Customers waiting/ });
    await table.waitFor();
    expect(await page.locator('[aria-live="polite"]').textContent()).toMatch(/customers? waiting/);
    expect(await table.textContent()).not.toContain('Olga Operatorview');

    await page.getByLabel('Show names and problems').check();
    await table.getByText('Olga Operatorview').waitFor();
    await table.getByText('Printer on fire').waitFor();
    // Usable at phone width: nothing forces the page to scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.close();
  });
});

describe('CORS for listed origins', () => {
  let server: ApiServer;

  beforeAll(async () => {
    server = await startApiServer({ ...SHARED_SECRETS, CORS_ORIGINS: 'https://shop.example' });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('should allow a listed origin and no other', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/api/help-sessions`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    expect((await preflight('https://shop.example')).headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });
});
