import fc from 'fast-check';
import { io, Socket } from 'socket.io-client';
import { PresenceClient } from '@servicekit/client/presence';
import { ClientToServerEvents, CreateHelpSessionResponse, PRESENCE_NAMESPACE, PRESENCE_REFUSALS } from '@servicekit/contracts';
import { MemcachedServer, startMemcached, waitFor } from '@servicekit/tools/testing';
import { fuzzRuns, fuzzSeed, replayHint } from './fuzz-seed';
import { badValue, build, extraKey, oddString, PROTOTYPE_NAMES, Value } from './fuzz-values';
import { isSentence, loggedErrors, watchForDeath } from './invariants';
import { storeErrors } from './observe';
import {
  claimNext,
  createHelpSession,
  customerTokenFor,
  endSession,
  enqueue,
  mintToken,
  SHARED_SECRETS,
  signIn,
  TEST_OPS_TOKEN,
  ApiServer,
  startApiServer,
} from '@servicekit/tools/e2e-support';

const SOCKET_CASES = fuzzRuns(600);
const SEED = fuzzSeed();
/** The gateway's maxHttpBufferSize: a bigger message closes the connection (and the client reconnects). */
const MAX_MESSAGE_BYTES = 64 * 1024;
const ACK_TIMEOUT_MS = 3_000;

/**
 * Every client→server event of the contract, with a well-formed payload to mutate. A Record over the
 * contract's keys: adding an event to ClientToServerEvents fails the type check until it is fuzzed too.
 */
const CLIENT_EVENTS: Record<keyof ClientToServerEvents, fc.Arbitrary<Value>> = {
  'media:connected': fc
    .oneof(fc.string({ maxLength: 30 }), fc.constantFrom('m_AAAAAAAAAAAAAAAA', 'x'.repeat(101)))
    .map((matchId) => ({ json: { matchId } })),
  signal: fc.oneof(
    fc.constantFrom('offer', 'answer').chain((kind) => fc.string({ maxLength: 50 }).map((sdp) => ({ json: { kind, sdp } }))),
    fc
      .record({
        candidate: fc.string({ maxLength: 30 }),
        sdpMid: fc.option(fc.string({ maxLength: 3 })),
        sdpMLineIndex: fc.option(fc.integer()),
      })
      .map((candidate) => ({ json: { kind: 'ice', candidate } })),
    fc.constant({ json: { kind: 'hangup' } }),
  ),
};
const DECLARED = Object.keys(CLIENT_EVENTS) as (keyof ClientToServerEvents)[];

/** Events the server does not take from clients: its own, reserved-looking and odd names. */
const UNDECLARED = [
  'customer:state',
  'rep:state',
  'queue:waiting',
  'exception',
  'error',
  'message',
  ...PROTOTYPE_NAMES,
  '',
  ' ',
  'media:Connected',
  'x'.repeat(500),
];

type Who = 'customer' | 'rep';

/** A payload: a mutation of the event's well-formed one, junk, several arguments, none, or binary. */
type Payload = { args: Value[] } | { binary: number; nested: boolean };

/**
 * A socket.io packet written as raw text on the connection, past what socket.io-client would send: nesting
 * beyond its own stack, broken JSON, binary placeholders without attachments, a second CONNECT, a DISCONNECT.
 */
type Frame =
  | { deep: number; of: 'array' | 'object'; event: keyof ClientToServerEvents }
  | { text: string }
  | { binary: 'missing' | 'bad-index' | 'too-many' };

type SocketCase =
  | { emit: string; as: Who; payload: Payload; ack: boolean }
  | { frame: Frame; as: Who }
  | { handshake: HandshakeAuth; namespace: string };

const HANDSHAKES = [
  'none',
  'empty',
  'number',
  'null',
  'array',
  'object',
  'empty-string',
  'forged-customer',
  'expired-customer',
  'forged-rep',
  'expired-rep',
  'alg-none',
  'garbage',
  'huge',
  'ops-token',
  'ended-customer',
  'valid-customer',
  'valid-rep',
] as const;
type HandshakeAuth = (typeof HANDSHAKES)[number];

function mutate(valid: fc.Arbitrary<Value>): fc.Arbitrary<Value> {
  return fc.oneof(
    valid,
    fc.tuple(valid, extraKey, badValue).map(([value, key, extra]): Value => {
      const base = 'json' in value && typeof value.json === 'object' && value.json !== null ? (value.json as Record<string, unknown>) : {};
      return { fields: [...Object.entries(base).map(([k, v]): [string, Value] => [k, { json: v }]), [key, extra] as [string, Value]] };
    }),
    fc.tuple(valid, badValue).map(([value, replacement]): Value => {
      const base = 'json' in value && typeof value.json === 'object' && value.json !== null ? (value.json as Record<string, unknown>) : {};
      const [first] = Object.keys(base);
      return { fields: Object.entries(base).map(([k, v]): [string, Value] => [k, k === first ? replacement : { json: v }]) };
    }),
    badValue,
  );
}

function payloadFor(event: string): fc.Arbitrary<Payload> {
  const valid = CLIENT_EVENTS[event as keyof ClientToServerEvents] ?? badValue;
  return fc.oneof(
    { weight: 6, arbitrary: mutate(valid).map((value) => ({ args: [value] })) },
    { weight: 1, arbitrary: fc.constant<Payload>({ args: [] }) },
    { weight: 1, arbitrary: fc.array(badValue, { minLength: 2, maxLength: 4 }).map((args) => ({ args })) },
    {
      weight: 1,
      arbitrary: fc.record({
        binary: fc.oneof(fc.integer({ min: 0, max: 2048 }), fc.constant(MAX_MESSAGE_BYTES + 1024)),
        nested: fc.boolean(),
      }),
    },
  );
}

const NSP = PRESENCE_NAMESPACE;
const BROKEN_PACKETS = [
  `2${NSP},["signal",{]`,
  `2${NSP},{"kind":"hangup"}`,
  `2${NSP},"signal"`,
  `2${NSP},[]`,
  `2${NSP},[1,2]`,
  `2${NSP},[null]`,
  `2${NSP},["__proto__",{}]`,
  `2${NSP},["constructor"]`,
  `2${NSP},12x["signal"]`,
  `2${NSP},99999999999999999999["signal",{"kind":"hangup"}]`,
  `2${NSP},-1["signal"]`,
  `3${NSP},5[{"ok":true}]`,
  `4${NSP},{"message":"x"}`,
  `0${NSP},{"token":"junk"}`,
  `0/nope,`,
  `2/nope,["signal",{"kind":"hangup"}]`,
  `9${NSP},`,
  `2`,
  ``,
  `2${NSP}`,
  `2${NSP},["signal",{"kind":"ice","candidate":{"candidate":"x","sdpMLineIndex":1e999}}]`,
];

const frame: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({
    deep: fc.integer({ min: 33, max: 30_000 }),
    of: fc.constantFrom('array' as const, 'object' as const),
    event: fc.constantFrom(...DECLARED),
  }),
  fc
    .oneof(
      fc.constantFrom(...BROKEN_PACKETS),
      fc.string({ maxLength: 40 }).map((text) => `2${NSP},${text}`),
      fc.jsonValue({ maxDepth: 3 }).map((value) => `2${NSP},1${JSON.stringify(value)}`),
    )
    .map((text) => ({ text })),
  fc.constantFrom<Frame>({ binary: 'missing' }, { binary: 'bad-index' }, { binary: 'too-many' }),
);

const socketCase: fc.Arbitrary<SocketCase> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ frame, as: fc.constantFrom<Who>('customer', 'rep') }) },
  {
    weight: 6,
    arbitrary: fc.constantFrom(...DECLARED).chain((event) =>
      fc.record({
        emit: fc.constant<string>(event),
        as: fc.constantFrom<Who>('customer', 'rep'),
        payload: payloadFor(event),
        ack: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      emit: fc.oneof(fc.constantFrom(...UNDECLARED), oddString(10)),
      as: fc.constantFrom<Who>('customer', 'rep'),
      payload: payloadFor(''),
      ack: fc.constant(false),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      handshake: fc.constantFrom(...HANDSHAKES),
      namespace: fc.oneof(
        { weight: 9, arbitrary: fc.constant(PRESENCE_NAMESPACE) },
        { weight: 1, arbitrary: fc.constantFrom('/presence/', '/PRESENCE', '/presence?x=1') },
      ),
    }),
  },
);

/** The raw text of a frame, and the ack id it asks for (when it asks for one). */
function frameText(value: Frame, ackId: number): { text: string; ackId?: number; then?: Buffer } {
  if ('deep' in value) {
    const open = value.of === 'array' ? '[' : '{"a":';
    const close = value.of === 'array' ? ']' : '}';
    return { text: `2${NSP},${ackId}["${value.event}",${open.repeat(value.deep)}1${close.repeat(value.deep)}]`, ackId };
  }
  if ('text' in value) return { text: value.text };
  switch (value.binary) {
    case 'missing':
      return { text: `51-${NSP},["signal",{"_placeholder":true,"num":0}]` };
    case 'bad-index':
      return { text: `51-${NSP},["signal",{"_placeholder":true,"num":5}]`, then: Buffer.from([1, 2, 3]) };
    case 'too-many':
      return { text: `511-${NSP},["signal",{"_placeholder":true,"num":0}]` };
  }
}

function argsOf(payload: Payload): unknown[] {
  if ('args' in payload) return payload.args.map(build);
  const bytes = Buffer.alloc(payload.binary, 7);
  return [payload.nested ? { kind: 'offer', sdp: bytes, deeper: [[{ bytes }]] } : bytes];
}

/** Bytes of the JSON part of a message, roughly as socket.io frames it (binary counts as its own frame). */
function messageBytes(event: string, args: unknown[]): number {
  const binary = args.reduce<number>((sum, arg) => sum + (Buffer.isBuffer(arg) ? arg.length : 0), 0);
  const nested = args.find(
    (arg) =>
      typeof arg === 'object' && arg !== null && !Buffer.isBuffer(arg) && 'sdp' in arg && Buffer.isBuffer((arg as { sdp: unknown }).sdp),
  );
  return (
    Buffer.byteLength(JSON.stringify([event, ...args.filter((arg) => !Buffer.isBuffer(arg) && arg !== nested)]) ?? '') +
    binary +
    (nested ? 2 * (nested as { sdp: Buffer }).sdp.length : 0)
  );
}

/** Why an acknowledgement breaks the contract: it is `{ ok: boolean, error?: sentence }`. */
function ackProblems(event: string, reply: unknown): string[] {
  if (typeof reply !== 'object' || reply === null) return [`the ${event} acknowledgement is not an object: ${JSON.stringify(reply)}`];
  const { ok, error, ...rest } = reply as { ok?: unknown; error?: unknown };
  const problems: string[] = [];
  if (typeof ok !== 'boolean') problems.push(`the ${event} acknowledgement has no boolean ok: ${JSON.stringify(reply)}`);
  if (ok === true) problems.push(`the ${event} acknowledgement says ok to a participant in no call: ${JSON.stringify(reply)}`);
  if (error !== undefined && !isSentence(error)) problems.push(`the ${event} error is not a sentence: ${JSON.stringify(error)}`);
  if (Object.keys(rest).length > 0) problems.push(`the ${event} acknowledgement has extra keys: ${JSON.stringify(reply)}`);
  return problems;
}

describe('fuzzing every socket event and handshake (fast-check, from the presence contract)', () => {
  let memcached: MemcachedServer;
  let server: ApiServer;
  const sockets: Socket[] = [];
  let sentinelClient: PresenceClient | undefined;

  beforeAll(async () => {
    memcached = await startMemcached();
    server = await startApiServer({
      ...SHARED_SECRETS,
      MEMCACHED_SERVERS: memcached.address,
      MEMCACHED_TIMEOUT_MS: '1000',
      HELP_SESSION_RATE_LIMIT: '0',
      SIGN_IN_RATE_LIMIT: '0',
    });
    console.log(`fuzz-socket: seed ${SEED}. ${replayHint('fuzz-socket', SEED)}`);
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.disconnect());
    sentinelClient?.close();
    await server?.stop();
    await memcached?.stop();
  });

  /** A raw socket.io client of the presence namespace, as any script could open one. */
  function open(auth: Record<string, unknown> | undefined, namespace = PRESENCE_NAMESPACE, reconnection = false): Socket {
    const socket = io(`${server.url}${namespace}`, {
      auth,
      transports: ['websocket'],
      reconnection,
      reconnectionDelay: 100,
      reconnectionDelayMax: 300,
      forceNew: true,
    });
    sockets.push(socket);
    return socket;
  }

  /** Resolves once connected; a socket the server disconnected is asked to connect again (as the apps do). */
  function connected(socket: Socket): Promise<void> {
    return new Promise((resolve, reject) => {
      if (socket.connected) return resolve();
      if (!socket.active) socket.connect();
      const timer = setTimeout(() => reject(new Error('The socket did not connect within 5 s.')), 5_000);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The connection still serves: a well-formed signal from someone in no call is refused in words. */
  async function probe(socket: Socket): Promise<string[]> {
    try {
      const reply: unknown = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('signal', { kind: 'hangup' });
      return JSON.stringify(reply) === JSON.stringify({ ok: false, error: 'You are not in a call.' })
        ? []
        : [`the probe got ${JSON.stringify(reply)}`];
    } catch (error) {
      return [`the connection no longer answers (${(error as Error).message})`];
    }
  }

  it('should answer hundreds of bad events and handshakes with contract answers, never a crash, a leak or a store error', async () => {
    const sentinel = (await createHelpSession(server.url, 'Stella Sentinel', 'Queued before the storm')).body;
    sentinelClient = new PresenceClient({ url: server.url, token: sentinel.customerToken });
    await sentinelClient.ready();
    expect((await enqueue(server.url, sentinel)).body.position).toBe(1);

    const customer: CreateHelpSessionResponse = (await createHelpSession(server.url, 'Fuzz Customer', 'Generated')).body;
    const ended: CreateHelpSessionResponse = (await createHelpSession(server.url, 'Ended Customer', 'Generated')).body;
    await endSession(server.url, ended.id, ended.customerToken);
    const repToken = (await signIn(server.url, 'Fuzz Rep')).body.token;
    const exceptions: string[] = [];
    const participant: Record<Who, Socket> = {
      customer: open({ token: customer.customerToken }, PRESENCE_NAMESPACE, true),
      rep: open({ token: repToken }, PRESENCE_NAMESPACE, true),
    };
    /** Acknowledgements of raw frames, by id, as the engine receives them. */
    const rawAcks = new Map<number, string>();
    for (const socket of Object.values(participant)) {
      socket.on('exception', (payload: unknown) => exceptions.push(JSON.stringify(payload)));
      await connected(socket);
    }
    const watchAcks = (socket: Socket) =>
      socket.io.engine.on('packet', (packet: { type: string; data?: unknown }) => {
        const match = typeof packet.data === 'string' ? new RegExp(`^3${NSP},(\\d+)(.*)$`, 's').exec(packet.data) : null;
        if (match) rawAcks.set(Number(match[1]), match[2] ?? '');
      });
    let nextAckId = 1_000_000;
    const errorsBefore = await storeErrors(server.url);
    const now = Math.floor(Date.now() / 1000);
    const forger = 'a-forger-secret-0123456789abcdefghijkl';
    const tokens: Record<HandshakeAuth, Record<string, unknown> | undefined> = {
      none: undefined,
      empty: {},
      number: { token: 42 },
      null: { token: null },
      array: { token: [customer.customerToken] },
      object: { token: { token: customer.customerToken } },
      'empty-string': { token: '' },
      'forged-customer': { token: mintToken({ sub: sentinel.id, aud: 'servicekit-customer', exp: now + 600 }, forger) },
      'expired-customer': { token: customerTokenFor(sentinel.id, -600) },
      'forged-rep': { token: mintToken({ sub: 'rep_forged', name: 'Mallory', aud: 'servicekit-rep', exp: now + 600 }, forger) },
      'expired-rep': { token: mintToken({ sub: 'rep_old', name: 'Old', aud: 'servicekit-rep', exp: now - 600 }) },
      'alg-none': {
        token: `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: sentinel.id, aud: 'servicekit-customer', exp: now + 600 })).toString('base64url')}.`,
      },
      garbage: { token: 'not.a.token' },
      huge: { token: 'x'.repeat(20_000) },
      'ops-token': { token: TEST_OPS_TOKEN },
      'ended-customer': { token: ended.customerToken },
      'valid-customer': { token: customer.customerToken },
      'valid-rep': { token: repToken },
    };
    const refusals = new Set<string>(Object.values(PRESENCE_REFUSALS));

    let runs = 0;
    const kinds = new Map<string, number>();
    const count = (kind: string) => kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    const started = Date.now();

    const death = watchForDeath(server);
    const property = fc.asyncProperty(socketCase, async (generated) => {
      runs++;
      death.before();
      try {
        await runCase(generated);
      } finally {
        death.after(JSON.stringify(generated));
      }
    });
    const runCase = async (generated: SocketCase): Promise<void> => {
      const problems: string[] = [];
      if ('handshake' in generated) {
        count(`handshake ${generated.handshake}`);
        const socket = open(tokens[generated.handshake], generated.namespace);
        const outcome = await new Promise<string>((resolve) => {
          const timer = setTimeout(() => resolve('no answer within 5 s'), 5_000);
          socket.once('connect_error', (error: Error) => {
            clearTimeout(timer);
            resolve(`refused: ${error.message}`);
          });
          socket.once('customer:state', () => {
            clearTimeout(timer);
            resolve('customer:state');
          });
          socket.once('rep:state', () => {
            clearTimeout(timer);
            resolve('rep:state');
          });
        });
        socket.disconnect();
        const valid =
          generated.handshake === 'valid-customer' || generated.handshake === 'ended-customer' || generated.handshake === 'valid-rep';
        const expected =
          generated.namespace !== PRESENCE_NAMESPACE
            ? null
            : valid
              ? generated.handshake === 'valid-rep'
                ? 'rep:state'
                : 'customer:state'
              : 'refused';
        if (expected === 'refused' && !(outcome.startsWith('refused: ') && refusals.has(outcome.slice('refused: '.length)))) {
          problems.push(`a bad handshake was not refused with a contract sentence: ${outcome}`);
        } else if (expected !== null && expected !== 'refused' && outcome !== expected) {
          problems.push(`a valid handshake got "${outcome}" instead of its state`);
        } else if (expected === null && outcome === 'no answer within 5 s') {
          problems.push('a handshake to another namespace got no answer');
        }
      } else if ('frame' in generated) {
        const socket = participant[generated.as];
        await connected(socket);
        count(
          `raw ${'deep' in generated.frame ? `${generated.frame.event} nested` : 'text' in generated.frame ? 'packet' : `binary ${generated.frame.binary}`}`,
        );
        const { text, ackId, then } = frameText(generated.frame, nextAckId++);
        watchAcks(socket);
        socket.io.engine.write(text);
        if (then) socket.io.engine.write(then);
        if (ackId !== undefined) {
          // Answered, or refused by closing the connection: either way promptly, and never with an exception.
          await waitFor(() => rawAcks.has(ackId) || !socket.connected, {
            timeoutMs: ACK_TIMEOUT_MS,
            message: `an answer to a frame nested ${(generated.frame as { deep: number }).deep} deep`,
          }).catch((error: Error) => problems.push(error.message));
          const ack = rawAcks.get(ackId);
          if (ack !== undefined)
            problems.push(...ackProblems(`raw ${(generated.frame as { event: string }).event}`, (JSON.parse(ack) as unknown[])[0]));
        }
        // A broken frame may cost the connection (socket.io's answer to a protocol error); the client comes back.
        await connected(socket);
        const first = await probe(socket);
        if (first.length > 0 && !socket.connected) {
          count('raw: connection closed and reopened');
          await connected(socket);
          problems.push(...(await probe(socket)));
        } else {
          problems.push(...first);
        }
      } else {
        const socket = participant[generated.as];
        await connected(socket);
        const args = argsOf(generated.payload);
        const oversized = messageBytes(generated.emit, args) > MAX_MESSAGE_BYTES - 512;
        const declared = DECLARED.includes(generated.emit as keyof ClientToServerEvents);
        count(`${declared ? generated.emit : 'undeclared'}${oversized ? ' (oversized)' : ''}`);
        if (oversized) {
          // More than the server reads in one message: it closes the connection, and the client comes back.
          const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
          socket.emit(generated.emit, ...args);
          await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, ACK_TIMEOUT_MS).unref())]);
          await connected(socket);
        } else if (declared && generated.ack) {
          try {
            problems.push(...ackProblems(generated.emit, await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(generated.emit, ...args)));
          } catch (error) {
            problems.push(`no acknowledgement of ${generated.emit} within ${ACK_TIMEOUT_MS} ms (${(error as Error).message})`);
          }
        } else {
          socket.emit(generated.emit, ...args);
        }
        // The connection still serves: a well-formed signal from someone in no call is refused in words.
        try {
          const probe: unknown = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('signal', { kind: 'hangup' });
          if (JSON.stringify(probe) !== JSON.stringify({ ok: false, error: 'You are not in a call.' }))
            problems.push(`the probe got ${JSON.stringify(probe)}`);
        } catch (error) {
          problems.push(`the connection no longer answers (${(error as Error).message})`);
        }
      }
      if (exceptions.length > 0) problems.push(`the server emitted "exception": ${exceptions.splice(0).join(', ')}`);
      if (problems.length > 0) throw new Error(problems.join('\n'));
    };
    await fc.assert(property, { seed: SEED, numRuns: SOCKET_CASES });

    console.log(
      [
        `fuzz-socket: ${runs} cases in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${SEED})`,
        ...[...kinds].sort(([a], [b]) => a.localeCompare(b)).map(([kind, n]) => `  ${String(n).padStart(4)}  ${kind}`),
      ].join('\n'),
    );
    expect(runs).toBeGreaterThanOrEqual(SOCKET_CASES);
    for (const event of DECLARED) expect({ event, fuzzed: (kinds.get(event) ?? 0) >= 50 }).toEqual({ event, fuzzed: true });

    expect(await storeErrors(server.url)).toBe(errorsBefore);
    expect(server.process.exitCode).toBeNull();
    expect(loggedErrors(server.output())).toEqual([]);
    // The waiting customer saw nothing but its place, is still first, and is the one a rep takes.
    expect(sentinelClient.customerState).toMatchObject({ state: 'waiting', position: 1 });
    await waitFor(() => sentinelClient?.connected === true, { message: 'the sentinel to be connected' });
    const claimed = await claimNext(server.url, (await signIn(server.url, 'After The Storm')).body.token);
    expect(claimed.status).toBe(200);
    expect(claimed.body?.helpSession.id).toBe(sentinel.id);
  }, 240_000);
});
