import { PresenceClient } from '@servicekit/client/presence';
import type { CreateHelpSessionResponse, CustomerState, RepState } from '@servicekit/contracts';
import { MemcachedServer, startMemcached } from '@servicekit/tools/testing';
import {
  ApiServer,
  claimNext,
  createHelpSession,
  drainQueue,
  dumpMemcached,
  enqueue,
  findSecrets,
  SHARED_SECRETS,
  signIn,
  startApiServer,
} from '@servicekit/tools/e2e-support';

const GRACE_MS = 1_500;
const REJOIN_MS = 4_000;
/** Deadlines are facts in the store that every instance sweeps: each is acted on within this of passing. */
const SLACK_MS = 2_000;
/** "At once": a push across instances, through the other instance's inbox. */
const AT_ONCE_MS = 1_000;

const timings: string[] = [];

afterAll(() => {
  if (timings.length > 0) console.log(['rejoin window timings:', ...timings.map((line) => `  ${line}`)].join('\n'));
});

type InCall<S> = Extract<S, { state: 'in-call' }>;
const inCall = <S extends CustomerState | RepState>(state: S): state is InCall<S> & S => state.state === 'in-call';

/**
 * The rejoin window of a confirmed call (issue 12, item 4), over real sockets: two instances on one real
 * memcached, the customer on the first, the rep on the second, and CALL_REJOIN_MS well above the grace period.
 */
describe('the rejoin window of a call', () => {
  let memcached: MemcachedServer;
  const servers: ApiServer[] = [];
  const clients: PresenceClient[] = [];
  const customerBase = () => servers[0]?.url ?? '';
  const repBase = () => servers[1]?.url ?? '';

  beforeAll(async () => {
    memcached = await startMemcached();
    const env = {
      ...SHARED_SECRETS,
      MEMCACHED_SERVERS: memcached.address,
      PRESENCE_GRACE_MS: String(GRACE_MS),
      CALL_REJOIN_MS: String(REJOIN_MS),
      HELP_SESSION_RATE_LIMIT: '0',
      SIGN_IN_RATE_LIMIT: '0',
    };
    servers.push(...(await Promise.all([startApiServer(env), startApiServer(env)])));
  });

  afterEach(async () => {
    clients.splice(0).forEach((client) => client.close());
    await drainQueue(repBase());
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await memcached.stop();
  });

  function connect(base: string, token: string): PresenceClient {
    const client = new PresenceClient({ url: base, token });
    clients.push(client);
    return client;
  }

  /** A customer and a rep in a confirmed call, each on their own instance. */
  async function call(customerName: string, problem: string) {
    const session: CreateHelpSessionResponse = (await createHelpSession(customerBase(), customerName, problem)).body;
    const customer = connect(customerBase(), session.customerToken);
    await customer.ready();
    expect((await enqueue(customerBase(), session)).status).toBe(201);
    const repToken = (await signIn(repBase(), 'Grace')).body.token;
    const rep = connect(repBase(), repToken);
    await rep.ready();
    const claim = (await claimNext(repBase(), repToken)).body;
    expect(claim?.helpSession.id).toBe(session.id);
    const matchId = claim?.matchId ?? '';
    await customer.customerStateWhere((state) => state.state === 'reserved');
    await expect(customer.mediaConnected(matchId)).resolves.toBe(true);
    await expect(rep.mediaConnected(matchId)).resolves.toBe(true);
    await customer.customerStateWhere(inCall);
    await rep.repStateWhere(inCall);
    return { session, customer, repToken, rep, matchId };
  }

  /** The customer's name and problem are nowhere in the store any more. */
  async function expectPersonalDataGone(name: string, problem: string): Promise<void> {
    const items = await dumpMemcached(memcached.host, memcached.port);
    expect(items.flatMap((item) => (item.value === null ? [] : findSecrets(item.value, [name, problem])))).toEqual([]);
  }

  it('should tell the rep at once that the customer is away, and both that the call goes on when the customer is back', async () => {
    const { session, customer, rep, matchId } = await call('Rejoining Rita', 'Her reload');
    customer.close();
    const closed = Date.now();
    await rep.repStateWhere((state) => inCall(state) && state.matchId === matchId && state.partnerAway === true, AT_ONCE_MS);
    timings.push(`customer's socket closed: the rep told the customer is away ${Date.now() - closed} ms later`);

    // The reload lands on the rep's instance this time: any instance takes the customer back.
    const again = connect(repBase(), session.customerToken);
    await again.ready();
    const resumed = await again.customerStateWhere(inCall);
    expect(resumed).toMatchObject({ matchId, partnerAway: false, repName: 'Grace' });
    expect(inCall(resumed) && resumed.video.token).toBeTruthy();
    await rep.repStateWhere((state) => inCall(state) && state.matchId === matchId && state.partnerAway === false, AT_ONCE_MS);
    timings.push(`customer back: the call resumed on the same match ${Date.now() - closed} ms after the close`);
  });

  it('should tell the customer at once that the rep is away, and give the rep the same call with video credentials when back', async () => {
    const { customer, repToken, rep, matchId } = await call('Patient Pia', 'Rep reloads');
    rep.close();
    const closed = Date.now();
    await customer.customerStateWhere((state) => inCall(state) && state.matchId === matchId && state.partnerAway === true, AT_ONCE_MS);
    timings.push(`rep's socket closed: the customer told the rep is away ${Date.now() - closed} ms later`);

    const again = connect(customerBase(), repToken);
    await again.ready();
    const resumed = await again.repStateWhere(inCall);
    expect(resumed).toMatchObject({ matchId, partnerAway: false });
    expect(inCall(resumed) && resumed.video?.token).toBeTruthy();
    await customer.customerStateWhere((state) => inCall(state) && state.matchId === matchId && state.partnerAway === false, AT_ONCE_MS);
  });

  it('should end the call for the rep with rejoin-timeout when the customer is not back within the window, and delete the personal data', async () => {
    const { session, customer, rep } = await call('Gone Gustav', 'Closed the laptop');
    customer.close();
    const closed = Date.now();
    await rep.repStateWhere((state) => inCall(state) && state.partnerAway === true, AT_ONCE_MS);
    // Still the same call after the grace period: the window is longer.
    await rep.repStateWhere((state) => state.state === 'ended', REJOIN_MS + SLACK_MS);
    const elapsed = Date.now() - closed;
    expect(elapsed).toBeGreaterThan(GRACE_MS);
    expect(rep.repState).toMatchObject({ state: 'ended', helpSessionId: session.id, reason: 'rejoin-timeout' });
    timings.push(`customer away for good: the rep told the call ended ${elapsed} ms after the close (CALL_REJOIN_MS ${REJOIN_MS})`);
    const late = connect(customerBase(), session.customerToken);
    await late.ready();
    await late.customerStateWhere((state) => state.state === 'ended' && state.reason === 'rejoin-timeout');
    await expectPersonalDataGone('Gone Gustav', 'Closed the laptop');
  });

  it('should end the call for the customer with rejoin-timeout when the rep is not back within the window, and delete the personal data', async () => {
    const { customer, rep } = await call('Left Lotte', 'Rep vanished');
    rep.close();
    const closed = Date.now();
    await customer.customerStateWhere((state) => inCall(state) && state.partnerAway === true, AT_ONCE_MS);
    await customer.customerStateWhere((state) => state.state === 'ended', REJOIN_MS + SLACK_MS);
    const elapsed = Date.now() - closed;
    expect(elapsed).toBeGreaterThan(GRACE_MS);
    expect(customer.customerState).toEqual({ state: 'ended', reason: 'rejoin-timeout' });
    timings.push(`rep away for good: the customer told the call ended ${elapsed} ms after the close (CALL_REJOIN_MS ${REJOIN_MS})`);
    await expectPersonalDataGone('Left Lotte', 'Rep vanished');
  });
});
