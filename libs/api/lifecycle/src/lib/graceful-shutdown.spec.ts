import { AddressInfo } from 'node:net';
import { Controller, Get, INestApplication, OnApplicationShutdown } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { waitFor } from '@servicekit/tools/testing';
import { GracefulShutdown, GracefulShutdownOptions } from './graceful-shutdown';

/** A request that finishes when the test says so. */
class Gate {
  release: () => void = () => undefined;
  readonly opened = new Promise<void>((resolve) => (this.release = resolve));
}

const gate = { current: new Gate() };
const closed: string[] = [];

@Controller()
class SlowController implements OnApplicationShutdown {
  @Get('slow')
  async slow() {
    await gate.current.opened;
    return { done: true };
  }

  @Get('fast')
  fast() {
    return { done: true };
  }

  onApplicationShutdown() {
    closed.push('app');
  }
}

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('GracefulShutdown', () => {
  let app: INestApplication;
  let base: string;
  let shutdown: GracefulShutdown;

  async function start(options: Partial<GracefulShutdownOptions> = {}) {
    const moduleRef = await Test.createTestingModule({ controllers: [SlowController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    shutdown = new GracefulShutdown({ drainMs: 300, closeMs: 2_000, logger: silent, exit: () => undefined, ...options });
    app.use(shutdown.middleware);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  }

  beforeEach(async () => {
    gate.current = new Gate();
    closed.length = 0;
    await start();
  });

  afterEach(async () => {
    gate.current.release();
    if (app.getHttpServer().listening) await app.close();
  });

  it('should let a request in flight finish, refuse new connections meanwhile, then close the app and exit 0', async () => {
    const inFlight = fetch(`${base}/slow`);
    await waitFor(async () => (await fetch(`${base}/slow`, { signal: AbortSignal.timeout(50) }).catch(() => null)) === null, {
      message: 'the request to be in flight',
    });
    const stopping = shutdown.shutdown(app, 'SIGTERM');
    await expect(fetch(`${base}/slow`)).rejects.toThrow();
    expect(closed).toEqual([]);

    gate.current.release();
    const reply = await inFlight;
    expect(reply.status).toBe(200);
    expect(reply.headers.get('connection')).toBe('close');
    expect(await reply.json()).toEqual({ done: true });
    await expect(stopping).resolves.toBe(0);
    expect(closed).toEqual(['app']);
  });

  it('should cut a request that outlasts the drain and still exit 0', async () => {
    const inFlight = fetch(`${base}/slow`).then(
      (reply) => reply.status,
      () => 'cut',
    );
    await waitFor(async () => (await fetch(`${base}/slow`, { signal: AbortSignal.timeout(50) }).catch(() => null)) === null, {
      message: 'the request to be in flight',
    });
    const started = Date.now();
    await expect(shutdown.shutdown(app, 'SIGTERM')).resolves.toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(await inFlight).toBe('cut');
  });

  it('should turn readiness at once, go on serving new requests through the delay, then drain and close', async () => {
    await app.close();
    const events: string[] = [];
    const logger = { ...silent, log: (message: string) => events.push(message) };
    await start({ delayMs: 1_000, logger, onStopping: () => events.push('onStopping'), onDraining: () => events.push('onDraining') });

    const stopping = shutdown.shutdown(app, 'SIGTERM');
    expect(events).toEqual(['SIGTERM received: serving for another 1000 ms so that load balancers stop sending here.', 'onStopping']);
    // Load balancers still send during the delay: new connections are served, and told not to stay.
    const during = await fetch(`${base}/fast`);
    expect(during.status).toBe(200);
    expect(during.headers.get('connection')).toBe('close');
    const inFlight = fetch(`${base}/slow`);
    await waitFor(() => events.some((event) => event.startsWith('Draining')), { message: 'the drain to start' });
    expect(events.slice(2)).toEqual(['Draining: no new connections; waiting for 1 request(s) in flight.', 'onDraining']);
    await expect(fetch(`${base}/fast`)).rejects.toThrow();

    gate.current.release();
    expect((await inFlight).status).toBe(200);
    await expect(stopping).resolves.toBe(0);
    expect(events.at(-1)).toBe('Stopped cleanly.');
  });
});
