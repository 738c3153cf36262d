import { mkdirSync } from 'node:fs';
import { ApiServer, drainQueue, expectText, SCREENSHOTS, SHARED_SECRETS, startApiServer } from '@servicekit/tools/e2e-support';
import {
  customerAsks,
  expectAccessible,
  expectInView,
  expectLiveVideo,
  launchPerson,
  matchIdOf,
  Person,
  repSignsIn,
} from './video-journey';

const REJOIN_MS = 4000;

/**
 * Calls that survive a reload: either side reloads its page during a call and the call resumes on the same
 * match with the same people, video back on both sides; a side that stays away past the rejoin window ends
 * the call for the other with a message. Each person in their own Chromium. The server keeps the match for
 * CALL_REJOIN_MS while one side is away.
 */
describe('a call that survives a reload', () => {
  let server: ApiServer;
  const people: Person[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startApiServer({
      ...SHARED_SECRETS,
      HELP_SESSION_RATE_LIMIT: '0',
      SIGN_IN_RATE_LIMIT: '0',
      CALL_REJOIN_MS: String(REJOIN_MS),
    });
  });

  afterEach(async () => {
    await Promise.all(people.splice(0).map((person) => person.close()));
    await drainQueue(server.url);
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function person(viewport?: { width: number; height: number }): Promise<Person> {
    const launched = await launchPerson(viewport);
    people.push(launched);
    return launched;
  }

  /** A customer and a rep in a call with live video both ways; the match id both pages show. */
  async function inCall(customer: Person, rep: Person, customerName = 'Ada Lovelace'): Promise<string> {
    await customerAsks(customer.page, server.url, customerName, 'My video call keeps dropping.');
    await customer.page.getByTestId('queue-position').waitFor();
    await repSignsIn(rep.page, server.url, 'Grace');
    await rep.page.getByTestId('next-customer').click();
    await expectLiveVideo(customer.page);
    await expectLiveVideo(rep.page);
    const matchId = await matchIdOf(customer.page);
    expect(matchId).toMatch(/\S/);
    expect(await matchIdOf(rep.page)).toBe(matchId);
    return matchId as string;
  }

  it('should bring the video back on both sides, same rep and same match, when the customer reloads', async () => {
    const [customer, rep] = [await person(), await person()];
    const matchId = await inCall(customer, rep);

    const reloadedAt = Date.now();
    await customer.page.reload();
    await expectLiveVideo(customer.page, 10_000);
    const customerBack = Date.now() - reloadedAt;
    await expectLiveVideo(rep.page, 10_000);
    const repBack = Date.now() - reloadedAt;
    console.log(`customer reload → live video: customer ${customerBack} ms, rep ${repBack} ms`);

    await expectText(customer.page.getByTestId('rep-name'), 'You are talking with Grace');
    expect(await matchIdOf(customer.page)).toBe(matchId);
    expect(await matchIdOf(rep.page)).toBe(matchId);
    await expectText(customer.page.getByTestId('call-status'), 'You are connected.');
  });

  it('should bring the video back on both sides, same customer and same match, when the rep reloads', async () => {
    const [customer, rep] = [await person(), await person()];
    const matchId = await inCall(customer, rep, 'Alan Turing');

    const reloadedAt = Date.now();
    await rep.page.reload();
    await expectLiveVideo(rep.page, 10_000);
    const repBack = Date.now() - reloadedAt;
    await expectLiveVideo(customer.page, 10_000);
    const customerBack = Date.now() - reloadedAt;
    console.log(`rep reload → live video: rep ${repBack} ms, customer ${customerBack} ms`);

    expect(await matchIdOf(rep.page)).toBe(matchId);
    expect(await matchIdOf(customer.page)).toBe(matchId);
    await expectText(rep.page.locator('sk-customer-card'), 'Alan Turing');
    await expectText(rep.page.locator('sk-customer-card'), 'My video call keeps dropping.');
  });

  it('should show the rep that the customer is reconnecting, then end the call with a message once the window has passed', async () => {
    const [customer, rep] = [await person(), await person()];
    await inCall(customer, rep);

    await customer.close();
    people.splice(people.indexOf(customer), 1);

    await expectText(rep.page.getByTestId('rep-reconnecting'), 'The customer’s connection dropped. Reconnecting…');
    await expectText(rep.page.getByTestId('rep-notice'), 'The call ended because the connection could not be restored in time.');
    expect(await rep.page.locator('[data-match-id]').count()).toBe(0);
  });

  it('should show the customer that the rep is reconnecting, then end the call with a message once the window has passed', async () => {
    const [customer, rep] = [await person(), await person()];
    await inCall(customer, rep);

    await rep.close();
    people.splice(people.indexOf(rep), 1);

    await expectText(customer.page.getByTestId('call-status'), 'Grace’s connection dropped. Reconnecting…');
    await expectText(
      customer.page.getByTestId('end-message'),
      'The connection could not be restored in time, so the call has ended. You can ask again.',
    );
  });

  it.each([
    { name: 'phone', width: 375, height: 740 },
    { name: 'desktop', width: 1280, height: 800 },
  ])('should keep the call controls in view without scrolling at the $name size, with no serious accessibility violation', async (size) => {
    const viewport = { width: size.width, height: size.height };
    const [customer, rep] = [await person(viewport), await person(viewport)];
    await inCall(customer, rep);

    for (const [who, page] of [
      ['customer', customer.page],
      ['rep', rep.page],
    ] as const) {
      await page.screenshot({ path: `${SCREENSHOTS}/call-${who}-${size.name}.png` });
      await expectInView(page, page.getByRole('group', { name: 'Call controls' }));
      await expectAccessible(page);
    }
  });
});
