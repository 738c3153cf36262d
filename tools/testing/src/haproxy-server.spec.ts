import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHaproxy, type HaproxyServer } from './haproxy-server';
import { canConnect } from './net';
import { waitFor } from './wait-for';

/** A backend that says its name. */
async function namedBackend(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => res.end(name));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

const CONFIG = `
defaults
  mode http
  timeout connect 1s
  timeout client 5s
  timeout server 5s
  default-server inter 100ms fall 1 rise 1
frontend public
  bind "\${BIND}"
  default_backend web
backend web
  balance roundrobin
  option httpchk
  server one "\${ONE}" check
  server two "\${TWO}" check
`;

describe('startHaproxy', () => {
  let dir: string;
  let one: { server: Server; port: number };
  let two: { server: Server; port: number };
  let haproxy: HaproxyServer | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'haproxy-spec-'));
    writeFileSync(join(dir, 'haproxy.cfg'), CONFIG);
    [one, two] = await Promise.all([namedBackend('one'), namedBackend('two')]);
  });

  afterEach(async () => {
    await haproxy?.stop();
    await Promise.all([close(one.server), close(two.server)]);
    rmSync(dir, { recursive: true, force: true });
  });

  const start = () =>
    startHaproxy({
      configFile: join(dir, 'haproxy.cfg'),
      bindVariable: 'BIND',
      env: { ONE: `127.0.0.1:${one.port}`, TWO: `127.0.0.1:${two.port}` },
    });

  it('should balance round-robin over the configured backends on a free loopback port', async () => {
    haproxy = await start();
    expect(haproxy.url).toBe(`http://127.0.0.1:${haproxy.port}`);
    await waitFor(async () => Object.values(await haproxy!.servers('web')).every((s) => s.status === 'UP'), { message: 'both UP' });

    const names = [];
    for (let i = 0; i < 4; i++) names.push(await (await fetch(haproxy.url)).text());

    expect(names.sort()).toEqual(['one', 'one', 'two', 'two']);
    expect(Object.keys(await haproxy.servers('web'))).toEqual(['one', 'two']);
  });

  it('should report a backend that stops as DOWN and send everything to the other', async () => {
    haproxy = await start();
    await close(one.server);

    await waitFor(async () => (await haproxy!.servers('web'))['one']?.status === 'DOWN', { message: 'one to be DOWN' });

    expect(await (await fetch(haproxy.url)).text()).toBe('two');
    expect(await (await fetch(haproxy.url)).text()).toBe('two');
  });

  it('should free its port on stop and tolerate a second stop', async () => {
    haproxy = await start();

    await haproxy.stop();
    await haproxy.stop();

    await expect(canConnect(haproxy.port)).resolves.toBe(false);
  });

  it('should fail with what HAProxy said when the configuration is wrong', async () => {
    writeFileSync(join(dir, 'haproxy.cfg'), 'frontend public\n  bind "${BIND}"\n  no-such-keyword\n');

    await expect(start()).rejects.toThrow(/haproxy exited at start-up:[\s\S]*no-such-keyword/);
  });
});
