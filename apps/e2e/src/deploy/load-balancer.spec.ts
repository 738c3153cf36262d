import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PresenceClient } from '@servicekit/client/presence';
import { ApiError, CLAIM_WAIT_MAX_MS, CreateHelpSessionResponse, OpsQueueResponse } from '@servicekit/contracts';
import {
  freePort,
  HaproxyServer,
  HaproxyServerStat,
  MemcachedServer,
  startHaproxy,
  startMemcached,
  waitFor,
} from '@servicekit/tools/testing';
import { Browser, BrowserContext, Page } from 'playwright-core';
import {
  call,
  claimNext,
  createHelpSession,
  drainQueue,
  endSession,
  enqueue,
  Reply,
  SHARED_SECRETS,
  signIn,
  TEST_OPS_TOKEN,
  TEST_PASSCODE,
  ApiServer,
  startApiServer,
  launchChromium,
  expectText,
  SCREENSHOTS,
  expectLiveVideo,
} from '@servicekit/tools/e2e-support';

/** The configuration operators deploy, run as shipped: only the addresses come from the environment. */
const HAPROXY_CONFIG = join(__dirname, '../../../../deploy/haproxy/haproxy.cfg');
/** The product's default: the shipped checks (every 1 s, down after 2) take an instance out well within it. */
const SHUTDOWN_DELAY_MS = 5000;
/** The rolling restart's load: customers in line at any time and how long a rep's call lasts, so that customers wait longer than a restart takes. */
const IN_LINE = 30;
const CALL_MS = 500;

/** An API instance on a fixed port, so that it comes back where HAProxy's static server line points. */
class Instance {
  server!: ApiServer;
  constructor(
    /** Its server name in deploy/haproxy/haproxy.cfg. */
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  async start(): Promise<void> {
    this.server = await startApiServer({ ...this.env, PORT: String(this.port) });
  }

  /** Presence sockets this instance holds, from its own metrics. */
  async openSockets(): Promise<number> {
    const metrics = await fetch(`${this.server.url}/api/metrics`, { headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` } });
    return Number(/^servicekit_open_sockets (\d+)$/m.exec(await metrics.text())?.[1] ?? NaN);
  }
}

/** The JSON log lines of a process whose context is the shutdown, with their own timestamps. */
function shutdownLog(output: string) {
  const lines = output
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"context":"Shutdown"'))
    .map((line) => JSON.parse(line) as { time: string; msg: string })
    .map(({ time, msg }) => ({ time: Date.parse(time), msg }));
  return Object.assign(lines, {
    /** When the line that starts so was written, in ms since the epoch. */
    time(start: string): number {
      const line = lines.find(({ msg }) => msg.startsWith(start));
      if (!line) throw new Error(`No shutdown log line starts with "${start}" in:\n${output}`);
      return line.time;
    },
  });
}

describe('behind HAProxy: two API instances on one memcached, round-robin, no stickiness', () => {
  let memcached: MemcachedServer;
  let haproxy: HaproxyServer;
  let instances: [Instance, Instance];
  let lb: string;
  const clients: PresenceClient[] = [];

  const serverStates = async () => Object.fromEntries(Object.entries(await haproxy.servers('api')).map(([name, s]) => [name, s.status]));
  /** HAProxy's figures for one API server. */
  const stat = async (name: string): Promise<HaproxyServerStat> => {
    const found = (await haproxy.servers('api'))[name];
    if (!found) throw new Error(`HAProxy has no server ${name} in backend api`);
    return found;
  };
  const allUp = () =>
    waitFor(async () => Object.values(await serverStates()).every((s) => s === 'UP'), { timeoutMs: 15_000, message: 'every server UP' });

  function connect(token: string): PresenceClient {
    const client = new PresenceClient({ url: lb, token });
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    memcached = await startMemcached();
    const env = {
      ...SHARED_SECRETS,
      MEMCACHED_SERVERS: memcached.address,
      // HAProxy is the only proxy in front: take the client address from its X-Forwarded-For.
      TRUST_PROXY: '127.0.0.1',
      HELP_SESSION_RATE_LIMIT: '0',
      SIGN_IN_RATE_LIMIT: '0',
      SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
      LOG_LEVEL: 'info',
    };
    const ports = [await freePort(), await freePort()] as const;
    instances = [new Instance('api1', ports[0], env), new Instance('api2', ports[1], env)];
    await Promise.all(instances.map((instance) => instance.start()));
    haproxy = await startHaproxy({
      configFile: HAPROXY_CONFIG,
      env: { API_SERVER_1: `127.0.0.1:${ports[0]}`, API_SERVER_2: `127.0.0.1:${ports[1]}` },
    });
    lb = haproxy.url;
    await allUp();
  });

  afterEach(async () => {
    clients.splice(0).forEach((client) => client.close());
    if (lb) await drainQueue(lb);
  });

  afterAll(async () => {
    await haproxy?.stop();
    await Promise.all((instances ?? []).map((instance) => instance.server?.stop()));
    await memcached?.stop();
  });

  it('should keep the HTTP contract through the load balancer, spreading requests over both instances', async () => {
    const before = await Promise.all(instances.map((instance) => stat(instance.name)));

    const created = await createHelpSession(lb, 'Ada Lovelace', 'My router blinks red.');
    expect(created.status).toBe(201);
    const queued = await enqueue(lb, created.body);
    expect(queued.status).toBe(201);
    expect(queued.body).toEqual({ position: 1, estimatedWaitMs: null, estimateReason: 'no_rep_online' });
    const rep = await signIn(lb);
    expect(rep.status).toBe(201);
    const claimed = await claimNext(lb, rep.body.token);
    expect(claimed.status).toBe(200);
    expect(claimed.body?.helpSession).toMatchObject({ id: created.body.id, customerName: 'Ada Lovelace' });
    expect((await endSession(lb, created.body.id, rep.body.token)).status).toBe(204);
    expect((await claimNext(lb, rep.body.token)).status).toBe(204);

    // Errors keep their shape and their sentence through the proxy.
    const invalid = await call<ApiError>(lb, 'POST', '/help-sessions', { body: { problemText: 'x' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'validation_failed' });
    expect(invalid.body.details?.['customerName']).toBe('Your name is required.');
    const malformed = await call<ApiError>(lb, 'POST', '/help-sessions', { raw: '{"customerName":' });
    expect(malformed.body).toMatchObject({ statusCode: 400, code: 'malformed_json', message: expect.stringMatching(/\.$/) });
    const unauthorized = await call<ApiError>(lb, 'POST', `/help-sessions/${created.body.id}/queue`, { token: 'not-a-token' });
    expect(unauthorized.body).toMatchObject({ statusCode: 401, code: 'unauthorized', message: expect.stringMatching(/\.$/) });
    const ended = await enqueue(lb, created.body);
    expect(ended.body).toMatchObject({ statusCode: 409, code: 'help_session_ended', message: expect.stringMatching(/\.$/) });
    const tagged = await fetch(`${lb}/api/health`, { headers: { 'x-request-id': 'through-the-proxy-1' } });
    expect(tagged.headers.get('x-request-id')).toBe('through-the-proxy-1');

    // Round-robin without stickiness: both instances served this one client.
    const after = await Promise.all(instances.map((instance) => stat(instance.name)));
    after.forEach((figures, i) => expect(figures.sessions).toBeGreaterThan(before[i]?.sessions ?? Infinity));
  });

  it('should keep a customer in line when the socket reconnects and lands on the other instance', async () => {
    const session = (await createHelpSession(lb, 'Grace Hopper', 'Socket test')).body;
    const customer = connect(session.customerToken);
    await customer.ready();
    expect((await enqueue(lb, session)).status).toBe(201);
    await customer.customerStateWhere((state) => state.state === 'waiting');
    const holders = await Promise.all(instances.map((instance) => instance.openSockets()));
    expect([...holders].sort()).toEqual([0, 1]);
    const [from, to] = holders[0] === 1 ? instances : ([instances[1], instances[0]] as const);

    // The operator's runtime API: no new connections to the holder, so the reconnection goes to the other.
    await haproxy.command(`set server api/${from.name} state drain`);
    try {
      const reconnected = new Promise<void>((resolve) => customer.socket.io.once('reconnect', () => resolve()));
      customer.socket.io.engine.close();
      await reconnected;
      await waitFor(async () => (await to.openSockets()) === 1, { message: 'the socket on the other instance' });
      expect(await from.openSockets()).toBe(0);
    } finally {
      await haproxy.command(`set server api/${from.name} state ready`);
    }

    expect(await customer.customerStateWhere((state) => state.state === 'waiting')).toMatchObject({ position: 1 });
    const rep = (await signIn(lb)).body.token;
    expect((await claimNext(lb, rep)).body?.helpSession.id).toBe(session.id);
    expect(await customer.customerStateWhere((state) => state.state === 'reserved')).toMatchObject({ repName: 'Grace' });
    expect((await endSession(lb, session.id, rep)).status).toBe(204);
  });

  it("should answer a rep's long poll with nobody-yet when its instance drains, so the console asks again elsewhere", async () => {
    const [stopped, other] = instances;
    const rep = (await signIn(lb)).body.token;
    // Steer the long poll to the instance about to stop, then let HAProxy use both again.
    await haproxy.command(`set server api/${other.name} state drain`);
    const before = (await stat(stopped.name)).sessions;
    const longPoll = claimNext(lb, rep, CLAIM_WAIT_MAX_MS).then(
      (reply) => reply.status,
      (error: Error) => error.message,
    );
    await waitFor(async () => (await stat(stopped.name)).sessions > before, { message: 'the long poll to arrive' });
    await haproxy.command(`set server api/${other.name} state ready`);

    const stopping = stopped.server.stop();
    expect(await longPoll).toBe(204);
    expect(await stopping).toBe(0);
    await stopped.start();
    await allUp();

    const session = (await createHelpSession(lb, 'After the drain')).body;
    expect((await enqueue(lb, session)).status).toBe(201);
    expect((await claimNext(lb, rep, CLAIM_WAIT_MAX_MS)).body?.helpSession.id).toBe(session.id);
    // Ended, or its no-show would hand the customer back to the front during a later test.
    expect((await endSession(lb, session.id, rep)).status).toBe(204);
  });

  describe('in real browsers', () => {
    let browser: Browser;
    const contexts: BrowserContext[] = [];

    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      browser = await launchChromium();
    });

    afterAll(async () => {
      await Promise.all(contexts.map((context) => context.close()));
      await browser?.close();
    });

    async function newPage(): Promise<Page> {
      const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
      contexts.push(context);
      return context.newPage();
    }

    it('should carry a whole call through the load balancer with live video both ways', async () => {
      const customer = await newPage();
      await customer.goto(`${lb}/`);
      await customer.getByRole('button', { name: 'Talk to a Representative' }).click();
      await customer.getByLabel('Your name').fill('Ada Lovelace');
      await customer.getByLabel('What do you need help with?').fill('Behind a load balancer.');
      await customer.getByRole('button', { name: 'Request a Representative' }).click();
      await expectText(customer.getByTestId('queue-position'), 'You are next.');

      const rep = await newPage();
      await rep.goto(`${lb}/rep/`);
      await rep.getByTestId('rep-name').fill('Grace');
      await rep.getByTestId('rep-passcode').fill(TEST_PASSCODE);
      await rep.getByTestId('rep-sign-in').click();
      await rep.getByTestId('rep-devices-ok').click();
      await rep.getByTestId('next-customer').click();

      await expectText(rep.getByTestId('customer-name'), 'Ada Lovelace');
      await expectText(customer.getByTestId('rep-name'), 'Grace');
      await expectLiveVideo(customer);
      await expectLiveVideo(rep);
      await customer.screenshot({ path: `${SCREENSHOTS}/load-balancer-customer-in-call.png` });
      await rep.getByTestId('end-call').click();
      await expectText(customer.getByTestId('end-message'), 'The representative ended the call.');
    });
  });

  it('should restart both instances one after the other while customers wait and reps claim, with no failed request', async () => {
    const load = new Load(lb);
    const running = load.run();
    await waitFor(() => load.claims >= 3, { timeoutMs: 20_000, message: 'the load to be under way' });
    const retried = async () => (await Promise.all(instances.map((i) => stat(i.name)))).reduce((n, s) => n + s.retries + s.redispatches, 0);
    const retriedBefore = await retried();

    for (const instance of instances) {
      const claimsBefore = load.claims;
      const stopping = instance.server.stop();
      // Still serving while it says "not ready": what lets the load balancer move away without errors.
      await waitFor(async () => (await call(instance.server.url, 'GET', '/health/ready')).status === 503, {
        message: `${instance.name} readiness to turn 503`,
      });
      expect((await call(instance.server.url, 'GET', '/health')).status).toBe(200);
      expect((await createHelpSession(instance.server.url, 'Direct', 'While stopping')).status).toBe(201);
      await waitFor(async () => (await serverStates())[instance.name] === 'DOWN', {
        timeoutMs: SHUTDOWN_DELAY_MS,
        message: `HAProxy to take ${instance.name} out`,
      });
      expect(await stopping).toBe(0);

      const log = shutdownLog(instance.server.output());
      expect(log.at(-1)?.msg).toBe('Stopped cleanly.');
      expect(log.time('Readiness answers 503') - log.time('SIGTERM received')).toBeLessThan(100);
      expect(log.time('Draining') - log.time('Readiness answers 503')).toBeGreaterThanOrEqual(SHUTDOWN_DELAY_MS - 5);

      await instance.start();
      await allUp();
      // The other instance served on meanwhile.
      expect(load.claims).toBeGreaterThan(claimsBefore);
    }

    const claimsAfterRestarts = load.claims;
    await waitFor(() => load.claims >= claimsAfterRestarts + 3, { timeoutMs: 20_000, message: 'claims on the restarted instances' });
    await load.stop();
    await running;

    const retries = (await retried()) - retriedBefore;
    console.log(
      [
        `rolling restart of 2 instances behind HAProxy: ${load.sent} requests sent, ${load.failures.length} failed,`,
        `max latency ${Math.round(load.maxLatencyMs)} ms (rep long polls excluded: ${load.longPolls} of them);`,
        `${load.queued} customers queued and ${load.claims} taken by a rep; ${load.socketDrops} sockets dropped by a`,
        `stopping instance and reconnected; HAProxy retried ${retries} connections`,
      ].join(' '),
    );
    expect(load.failures).toEqual([]);
    expect(load.lostCustomers).toEqual([]);
    expect(load.claims).toBe(load.queued);
    expect(retries).toBe(0);
    const queue = await call<OpsQueueResponse>(lb, 'GET', '/ops/queue', { token: TEST_OPS_TOKEN });
    expect(queue.body.waiting).toEqual([]);
  });
});

/**
 * Customers who keep arriving (IN_LINE waiting at any time: create, socket, queue, wait) and two reps who
 * take them as the rep console does (a long poll for the next one, a short call, then end it), all through
 * the load balancer. Every request is counted; a failure is any answer other than the expected one. Stopping
 * ends the arrivals first and lets the reps serve everyone still waiting, so every customer is accounted for.
 */
class Load {
  sent = 0;
  readonly failures: string[] = [];
  maxLatencyMs = 0;
  longPolls = 0;
  claims = 0;
  /** Customers who got a place in the queue. */
  queued = 0;
  socketDrops = 0;
  /** Customers whose help session ended otherwise than by their rep. */
  readonly lostCustomers: string[] = [];
  private arriving = true;
  private readonly repsDone = new AbortController();
  private readonly sockets = new Set<PresenceClient>();

  constructor(private readonly lb: string) {}

  async run(): Promise<void> {
    await Promise.all([this.arrivals(), this.rep('Rep One'), this.rep('Rep Two')]);
    this.sockets.forEach((socket) => socket.close());
  }

  private stopArrivals!: () => void;
  private readonly arrivalsStopped = new Promise<void>((resolve) => (this.stopArrivals = resolve));
  private arrivalsDone!: Promise<void>;

  /** No more customers; once everyone waiting has been taken, the reps stop too. */
  async stop(): Promise<void> {
    this.arriving = false;
    this.stopArrivals();
    await this.arrivalsDone;
    this.repsDone.abort();
  }

  private async request<T>(what: string, expected: number[], send: () => Promise<Reply<T>>, longPoll = false): Promise<Reply<T> | null> {
    this.sent++;
    const started = performance.now();
    try {
      const reply = await send();
      if (longPoll) this.longPolls++;
      else this.maxLatencyMs = Math.max(this.maxLatencyMs, performance.now() - started);
      if (expected.includes(reply.status)) return reply;
      this.failures.push(`${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
    } catch (error) {
      // The reps' last long polls, given up by the test once nobody waits, are not failures of the product.
      if (this.repsDone.signal.aborted && (error as Error).name === 'AbortError') {
        this.sent--;
        return null;
      }
      this.failures.push(`${what}: ${(error as Error).message}`);
    }
    return null;
  }

  private watch(socket: PresenceClient): void {
    this.sockets.add(socket);
    socket.socket.on('disconnect', (reason) => {
      if (reason !== 'io client disconnect') this.socketDrops++;
    });
  }

  private arrivals(): Promise<void> {
    const active = new Set<Promise<void>>();
    let n = 0;
    this.arrivalsDone = (async () => {
      while (this.arriving) {
        while (active.size < IN_LINE) {
          const task: Promise<void> = this.customer(++n).finally(() => active.delete(task));
          active.add(task);
        }
        await Promise.race([...active, this.arrivalsStopped]);
      }
      await Promise.all(active);
    })();
    return this.arrivalsDone;
  }

  private async customer(n: number): Promise<void> {
    let socket: PresenceClient | undefined;
    try {
      const created = await this.request('create a help session', [201], () =>
        createHelpSession(this.lb, `Customer ${n}`, 'Rolling restart'),
      );
      if (!created) return;
      const session: CreateHelpSessionResponse = created.body;
      socket = new PresenceClient({ url: this.lb, token: session.customerToken });
      this.watch(socket);
      await socket.ready();
      if (!(await this.request('queue', [201], () => enqueue(this.lb, session)))) return;
      this.queued++;
      const outcome = await socket.customerStateWhere((state) => state.state === 'ended', 60_000);
      if (outcome.state === 'ended' && outcome.reason !== 'rep-ended') this.lostCustomers.push(`${session.id}: ${JSON.stringify(outcome)}`);
    } catch (error) {
      this.failures.push(`customer ${n}: ${(error as Error).message}`);
    } finally {
      socket?.close();
      if (socket) this.sockets.delete(socket);
    }
  }

  private async rep(name: string): Promise<void> {
    const signedIn = await this.request('sign in', [201], () => signIn(this.lb, name));
    if (!signedIn) return;
    const token = signedIn.body.token;
    const socket = new PresenceClient({ url: this.lb, token });
    this.watch(socket);
    await socket.ready();
    while (!this.repsDone.signal.aborted) {
      const claimed = await this.request(
        'claim the next customer',
        [200, 204],
        () => claimNext(this.lb, token, CLAIM_WAIT_MAX_MS, this.repsDone.signal),
        true,
      );
      if (this.repsDone.signal.aborted) return;
      if (!claimed) {
        // What the rep console does after an error: the rep tries again a moment later.
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      const claim = claimed.body;
      if (!claim) continue;
      this.claims++;
      // The call itself: workload, not synchronization.
      await new Promise((resolve) => setTimeout(resolve, CALL_MS));
      await this.request('end the call', [204], () => endSession(this.lb, claim.helpSession.id, token));
    }
  }
}
