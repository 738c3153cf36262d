import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { PresenceClient } from '@servicekit/client/presence';
import type { ApiError, CallbackListResponse, CallbackRequestCreated } from '@servicekit/contracts';
import { chooseSeed, MemcachedServer, seededRandom, startMemcached, waitFor } from '@servicekit/tools/testing';
import {
  ApiServer,
  call,
  cancel,
  claimNext,
  createHelpSession,
  endSession,
  dumpMemcached,
  enqueue,
  expectText,
  findSecrets,
  launchChromium,
  SHARED_SECRETS,
  signIn,
  startApiServer,
  TEST_PASSCODE,
  TEST_SUPERVISOR_PASSCODE,
} from '@servicekit/tools/e2e-support';

const SEED = chooseSeed(__filename);
/** Git-ignored (tmp/ at the workspace root). */
const SCREENS = join(__dirname, '../../../../tmp/screens');
const SIZES = [
  [375, 740],
  [1280, 800],
] as const;
const TAKEN = 'Another representative took this request.';

/**
 * The rep app's customer-side pages in real Chromium against the built product on a real memcached: callback
 * requests in the rep console (claim, contact data, done; two consoles racing for one), and the supervisor's
 * intake switch on the ops page while a customer keeps waiting. Each new state is checked with axe-core and
 * photographed at phone and desk sizes.
 */
describe(`the rep console's callbacks and the ops page's controls in real browsers (seed ${SEED})`, () => {
  let memcached: MemcachedServer;
  let server: ApiServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const sockets: PresenceClient[] = [];
  const axeCounts: string[] = [];
  const random = seededRandom(SEED);

  beforeAll(async () => {
    mkdirSync(SCREENS, { recursive: true });
    memcached = await startMemcached();
    [server, browser] = await Promise.all([
      startApiServer({
        ...SHARED_SECRETS,
        MEMCACHED_SERVERS: memcached.address,
        HELP_SESSION_RATE_LIMIT: '0',
        SIGN_IN_RATE_LIMIT: '0',
        NO_SHOW_MS: '60000',
      }),
      launchChromium(),
    ]);
  });

  afterEach(async () => {
    sockets.splice(0).forEach((socket) => socket.close());
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    process.stdout.write(`axe-core, serious or critical violations per state:\n${axeCounts.join('\n')}\n`);
    await browser?.close();
    await server?.stop();
    await memcached?.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    return context.newPage();
  }

  /** Photographs the state at both sizes and checks it with axe at both; back at the desk size afterwards. */
  async function shoot(page: Page, name: string): Promise<void> {
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: `${SCREENS}/${name}-${width}.png`, fullPage: true });
      const violations = (await new AxeBuilder({ page }).analyze()).violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
      axeCounts.push(`  ${name} at ${width}×${height}: ${violations.length}`);
      expect(violations).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  /** Inside the 1280×800 viewport as the page first shows it: no scrolling needed. */
  async function expectInView(locator: Locator): Promise<void> {
    await locator.waitFor();
    const box = await locator.boundingBox();
    expect(box).not.toBeNull();
    expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(800);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(1280);
  }

  async function repConsole(name: string): Promise<Page> {
    const page = await newPage();
    await page.goto(`${server.url}/rep/`);
    await page.getByTestId('rep-name').fill(name);
    await page.getByTestId('rep-passcode').fill(TEST_PASSCODE);
    await page.getByTestId('rep-sign-in').click();
    await page.getByTestId('rep-devices-ok').click({ timeout: 20_000 });
    await page.getByTestId('next-customer').waitFor();
    return page;
  }

  const leave = async (customerName: string, contact: { phone?: string; email?: string }) =>
    (
      await call<CallbackRequestCreated>(server.url, 'POST', '/callbacks', {
        body: { customerName, problemText: `${customerName} needs a call back`, ...contact },
      })
    ).body;

  /** A customer reachable by phone and email, different on every run (the seed says which). */
  const contact = () => {
    const digits = String(random.integer(1_000_000, 9_999_999));
    return { phone: `+49 30 ${digits}`, email: `caller${digits}@example.com`, dial: `tel:+4930${digits}` };
  };

  it('should let a rep claim a callback request in the console and complete it; then no list or key holds it', async () => {
    const person = contact();
    const name = `Callback Customer ${random.integer(100, 999)}`;
    const created = await leave(name, { phone: person.phone, email: person.email });
    const rep = await repConsole('Grace Hopper');

    const toggle = rep.getByTestId('callbacks-toggle');
    await expectText(rep.getByTestId('callbacks-count'), /^[1-9]\d* open$/);
    await expectInView(toggle);
    await toggle.click();
    const item = rep.locator(`[data-testid="callbacks-open"] li[data-callback="${created.id}"]`);
    await expectText(item, name);
    await expectInView(item.getByTestId('callback-claim'));
    await expectInView(rep.getByTestId('next-customer'));
    await shoot(rep, 'rep-callbacks-open');

    await item.getByTestId('callback-claim').click();
    const phone = rep.getByTestId('callback-phone');
    await expectText(phone, person.phone);
    expect(await phone.getAttribute('href')).toBe(person.dial);
    expect(await rep.getByTestId('callback-email').getAttribute('href')).toBe(`mailto:${person.email}`);
    expect(await rep.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset['callback'])).toBe(created.id);
    await expectInView(rep.getByTestId('callback-done'));
    await shoot(rep, 'rep-callbacks-claimed');

    await rep.getByTestId('callback-done').click();
    await expectText(rep.getByTestId('callbacks-notice'), `Done: the request of ${name} and its contact data are deleted.`);
    await shoot(rep, 'rep-callbacks-done');

    const token = (await signIn(server.url, 'Checker')).body.token;
    const list = (await call<CallbackListResponse>(server.url, 'GET', '/callbacks', { token })).body;
    expect(JSON.stringify(list)).not.toContain(created.id);
    const items = await dumpMemcached(memcached.host, memcached.port);
    expect(items.length).toBeGreaterThan(0);
    expect(
      items.filter((stored) => findSecrets(`${stored.key}\n${stored.value ?? ''}`, [person.phone, person.email, name]).length > 0),
    ).toEqual([]);
  });

  it('should give a request to exactly one of two consoles racing for it, and tell the other', async () => {
    const person = contact();
    const created = await leave('Raced Customer', { phone: person.phone });
    const [ada, alan] = await Promise.all([repConsole('Ada Lovelace'), repConsole('Alan Turing')]);
    const claims: Locator[] = [];
    for (const rep of [ada, alan]) {
      await rep.getByTestId('callbacks-toggle').click();
      const claim = rep.locator(`[data-testid="callbacks-open"] li[data-callback="${created.id}"]`).getByTestId('callback-claim');
      await claim.waitFor();
      claims.push(claim);
    }

    await Promise.all(claims.map((claim) => claim.click()));

    const outcome = async (rep: Page) => {
      await rep.waitForFunction(
        (taken) =>
          document.querySelector('[data-testid="callback-phone"]') !== null ||
          document.querySelector('[data-testid="callbacks-notice"]')?.textContent === taken,
        TAKEN,
      );
      return (await rep.getByTestId('callback-phone').count()) > 0 ? 'won' : 'told';
    };
    const outcomes = await Promise.all([ada, alan].map(outcome));
    process.stdout.write(`callback race in two consoles (seed ${SEED}): Ada ${outcomes[0]}, Alan ${outcomes[1]}\n`);
    expect([...outcomes].sort()).toEqual(['told', 'won']);
    const loser = outcomes[0] === 'told' ? ada : alan;
    // The loser's list is read again: the request is gone from it.
    await loser.locator(`[data-testid="callbacks-open"] li[data-callback="${created.id}"]`).waitFor({ state: 'detached' });
    await shoot(loser, 'rep-callbacks-taken');
  });

  it('should pause intake from the ops page: a new customer is refused, the waiting one is still served; then resume', async () => {
    const waiting = (await createHelpSession(server.url, 'Kept Waiting', 'Still here')).body;
    const socket = new PresenceClient({ url: server.url, token: waiting.customerToken });
    sockets.push(socket);
    await socket.ready();
    expect((await enqueue(server.url, waiting)).status).toBe(201);
    await leave('Counted Customer', { email: 'counted@example.com' });

    const ops = await newPage();
    await ops.goto(`${server.url}/rep/ops`);
    await ops.getByRole('link', { name: 'Sign in as a supervisor' }).click();
    await ops.getByTestId('rep-name').fill('Sue Supervisor');
    await ops.getByTestId('rep-passcode').fill(TEST_SUPERVISOR_PASSCODE);
    await ops.getByTestId('rep-sign-in').click();
    await expectText(ops.getByTestId('intake-state'), 'Open to new customers');
    await expectText(ops.getByTestId('opening-hours'), 'Open now');
    await expectText(ops.getByTestId('callback-counts'), /Open\s*[1-9]/);
    await ops.getByTestId('feedback-table').waitFor();
    for (const id of ['intake-pause', 'opening-hours', 'callback-counts', 'feedback-jump']) await expectInView(ops.getByTestId(id));
    await shoot(ops, 'ops-intake-open');

    await ops.getByTestId('intake-pause').click();
    await expectText(ops.getByTestId('intake-confirm'), 'Waiting customers are still served; new customers see the closed message.');
    await ops.getByTestId('intake-minutes').selectOption('30');
    await expectInView(ops.getByTestId('intake-pause-confirm'));
    await shoot(ops, 'ops-intake-confirm');
    await ops.getByTestId('intake-pause-confirm').click();
    await expectText(ops.getByTestId('intake-state'), /Paused until/);
    await expectText(ops.getByTestId('intake-notice'), /^Intake paused until .+\.$/);
    await expectInView(ops.getByTestId('intake-resume'));
    await shoot(ops, 'ops-intake-paused');

    const late = (await createHelpSession(server.url, 'Late Arrival', 'Too late')).body;
    const refused = await enqueue(server.url, late);
    expect([refused.status, (refused.body as unknown as ApiError).code]).toEqual([409, 'intake_paused']);

    const rep = await repConsole('Grace Serving');
    await rep.getByTestId('next-customer').click();
    await expectText(rep.getByTestId('customer-name'), 'Kept Waiting');

    await ops.getByTestId('intake-resume').click();
    await expectText(ops.getByTestId('intake-state'), 'Open to new customers');
    await expectText(ops.getByTestId('intake-notice'), 'Intake resumed: new customers can join the queue again.');
    await shoot(ops, 'ops-intake-resumed');
    await waitFor(async () => (await enqueue(server.url, late)).status === 201, { message: 'the late customer to get a place' });
    expect((await cancel(server.url, late)).status).toBe(204);
  });

  it('should show the ratings per day, and the comments only on demand, as text', async () => {
    const session = (await createHelpSession(server.url, 'Rating Customer', 'Rates the call')).body;
    const socket = new PresenceClient({ url: server.url, token: session.customerToken });
    sockets.push(socket);
    await socket.ready();
    expect((await enqueue(server.url, session)).status).toBe(201);
    const repToken = (await signIn(server.url, 'Rated Rep')).body.token;
    expect((await claimNext(server.url, repToken)).body?.helpSession.id).toBe(session.id);
    expect((await endSession(server.url, session.id, session.customerToken)).status).toBe(204);
    const comment = 'The <b>sound</b> was clear.';
    const rated = await call(server.url, 'POST', '/feedback', {
      token: session.customerToken,
      body: { helpSessionId: session.id, rating: 4, comment },
    });
    expect(rated.status).toBe(204);

    const ops = await newPage();
    await ops.goto(`${server.url}/rep/`);
    await ops.getByTestId('rep-name').fill('Sue Supervisor');
    await ops.getByTestId('rep-passcode').fill(TEST_SUPERVISOR_PASSCODE);
    await ops.getByTestId('rep-sign-in').click();
    await ops.getByTestId('rep-devices-ok').waitFor({ timeout: 20_000 });
    await ops.goto(`${server.url}/rep/ops`);
    const toggle = ops.getByTestId('feedback-comments-toggle');
    await expectText(ops.locator('#feedback-retention'), /deleted after \d+ days/);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    const today = ops.locator('[data-testid="feedback-table"] tbody tr').first();
    await expectText(today.locator('td').nth(1), '4.0');
    expect(await today.locator('td').first().textContent()).toBe('1');
    expect(await ops.getByTestId('feedback-comments').textContent()).not.toContain('sound');
    await toggle.click();
    await expectText(ops.getByTestId('feedback-comments'), `4 of 5 ${comment}`);
    expect(await ops.locator('[data-testid="feedback-comments"] b').count()).toBe(0);
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await shoot(ops, 'ops-feedback-comments');
  });
});
