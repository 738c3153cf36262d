import { Browser } from 'playwright-core';
import { ApiServer, startApiServer, launchChromium, TEST_OPS_TOKEN } from '@servicekit/tools/e2e-support';

describe('one process serves everything', () => {
  let server: ApiServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startApiServer({ OPS_TOKEN: TEST_OPS_TOKEN }), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('should render the customer app at / in a real browser', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Talk to a Representative' }).waitFor();
    expect(await page.title()).toBe('Service Kit — Customer service');
    await page.close();
  });

  it('should render the rep app at /rep/ in a real browser', async () => {
    const page = await browser.newPage();
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`${server.url}/rep/`);
    await page.getByRole('heading', { name: 'Sign in to take customers' }).waitFor();
    expect(await page.title()).toMatch(/^Service Kit/);
    expect(failed).toEqual([]);
    await page.close();
  });

  it('should answer liveness with {"status":"ok"}', async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('should answer readiness with the in-memory store up (the checks for operators only)', async () => {
    const response = await fetch(`${server.url}/api/health/ready`, { headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', info: { store: { status: 'up', store: 'in-memory' } } });
    expect(await (await fetch(`${server.url}/api/health/ready`)).json()).toEqual({ status: 'ok' });
  });

  it('should answer an unknown API path with a JSON 404, not an app page', async () => {
    const response = await fetch(`${server.url}/api/no-such-thing`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
  });

  it('should serve each app for its deep links', async () => {
    const customer = await fetch(`${server.url}/some/deep/link`);
    const rep = await fetch(`${server.url}/rep/some/deep/link`);
    expect(await customer.text()).toContain('Customer service');
    expect(await rep.text()).toContain('Representative console');
  });

  it('should print a banner naming the store and the video provider', () => {
    expect(server.output()).toContain(`rep       ${server.url}/rep/`);
    expect(server.output()).toMatch(/store\s+in-memory/);
    expect(server.output()).toMatch(/video\s+built-in peer-to-peer/);
  });
});
