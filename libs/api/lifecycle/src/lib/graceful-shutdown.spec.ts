import { AddressInfo } from 'node:net';
import { Controller, Get, INestApplication, OnApplicationShutdown } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { waitFor } from '@servicekit/tools/testing';
import { GracefulShutdown } from './graceful-shutdown';

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

  onApplicationShutdown() {
    closed.push('app');
  }
}

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('GracefulShutdown', () => {
  let app: INestApplication;
  let base: string;
  let shutdown: GracefulShutdown;

  beforeEach(async () => {
    gate.current = new Gate();
    closed.length = 0;
    const moduleRef = await Test.createTestingModule({ controllers: [SlowController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    shutdown = new GracefulShutdown({ drainMs: 300, closeMs: 2_000, logger: silent, exit: () => undefined });
    app.use(shutdown.middleware);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
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
});
