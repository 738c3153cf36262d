import { CoturnServer, startCoturn, waitFor } from '@servicekit/tools/testing';
import { ApiServer, call, drainQueue, SHARED_SECRETS, startApiServer, TEST_OPS_TOKEN } from '@servicekit/tools/e2e-support';
import { customerAsks, expectLiveVideo, expectText, launchPerson, outcomeOf, Person, repSignsIn, selectedPairs } from './video-journey';

/**
 * Calls through a real TURN relay: Debian's coturn on loopback with a generated secret, the API handing out
 * short-lived credentials for it, and the policy forced to `relay`, so media can only go through coturn.
 */
describe('video through the TURN relay', () => {
  let coturn: CoturnServer;
  let server: ApiServer;
  const people: Person[] = [];

  beforeAll(async () => {
    coturn = await startCoturn();
    server = await startApiServer({
      ...SHARED_SECRETS,
      HELP_SESSION_RATE_LIMIT: '0',
      SIGN_IN_RATE_LIMIT: '0',
      NO_SHOW_MS: '6000',
      TURN_URLS: coturn.turnUrl,
      TURN_SECRET: coturn.secret,
      ICE_TRANSPORT_POLICY: 'relay',
    });
  });

  afterEach(async () => {
    await Promise.all(people.splice(0).map((person) => person.close()));
    await drainQueue(server.url);
  });

  afterAll(async () => {
    await server?.stop();
    await coturn?.stop();
  });

  async function person(): Promise<Person> {
    const launched = await launchPerson();
    people.push(launched);
    return launched;
  }

  it('should connect a customer and a rep through the relay, both videos playing, the selected pair relay on both sides', async () => {
    const [customer, rep] = [await person(), await person()];
    await customerAsks(customer.page, server.url, 'Ada Lovelace', 'Calling through a strict firewall.');
    expect(await outcomeOf(customer.page)).toBe('pass');
    await customer.page.getByTestId('queue-position').waitFor();
    await repSignsIn(rep.page, server.url, 'Grace');

    await rep.page.getByTestId('next-customer').click();
    await expectLiveVideo(customer.page);
    await expectLiveVideo(rep.page);

    for (const page of [customer.page, rep.page]) {
      const pairs = await selectedPairs(page);
      console.log(`selected candidate pairs (${page === customer.page ? 'customer' : 'rep'}): ${JSON.stringify(pairs)}`);
      expect(pairs).toEqual([{ local: 'relay', remote: 'relay', protocol: 'udp' }]);
    }
    expect(coturn.output()).not.toContain('Cannot find credentials');
  });

  it('should tell both sides in words when the relay refuses the credentials, and put the customer back at the front', async () => {
    const [customer, rep] = [await person(), await person()];
    await customerAsks(customer.page, server.url, 'Alan', 'The relay will refuse us.');
    await customer.page.getByTestId('queue-position').waitFor();
    await repSignsIn(rep.page, server.url, 'Grace');
    // Both checks passed; now the relay is restarted with another secret, as if the API's TURN_SECRET were wrong.
    await coturn.restart();

    await rep.page.getByTestId('next-customer').click();
    await expectText(customer.page.getByTestId('rep-name'), 'Grace');

    await expectText(rep.page.getByTestId('rep-notice'), 'The video connection with the customer could not be made within 6 seconds');
    await expectText(customer.page.getByTestId('handed-back'), 'The video connection with the representative could not be made');
    await expectText(customer.page.getByTestId('queue-position'), 'You are next.');
    await waitFor(() => coturn.output().includes('Cannot find credentials'), { message: 'coturn to refuse the credentials' });
    const ops = await call<{ waiting: { position: number }[] }>(server.url, 'GET', '/ops/queue', { token: TEST_OPS_TOKEN });
    expect(ops.body.waiting.map((entry) => entry.position)).toEqual([1]);
    await customer.page.getByTestId('cancel').click();
    await expectText(customer.page.getByTestId('end-message'), 'You left the queue.');
  });

  it('should fail the pre-call check and take no queue place when the relay refuses the credentials', async () => {
    await coturn.restart();
    const customer = await person();
    const before = (await call<{ waiting: number }>(server.url, 'GET', '/status')).body.waiting;

    await customerAsks(customer.page, server.url, 'Edsger', 'Nothing gets through.');

    expect(await outcomeOf(customer.page)).toBe('fail');
    await expectText(customer.page.getByTestId('precall-result'), 'Your network blocks video calls');
    await customer.page.getByTestId('retry-devices').waitFor();
    const status = await call<{ waiting: number }>(server.url, 'GET', '/status');
    expect(status.body.waiting).toBe(before);
  });
});
