import { connect, createServer, type Server, type Socket } from 'node:net';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';
import { waitFor } from './wait-for';

/** A TCP server that answers every chunk with `${tag}:${chunk}`. */
async function startEcho(tag: string): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => socket.on('data', (chunk) => socket.write(`${tag}:${chunk.toString()}`)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, server };
}

function client(port: number): { socket: Socket; received: () => string } {
  const socket = connect({ port, host: '127.0.0.1' });
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (text += chunk));
  socket.on('error', () => undefined);
  return { socket, received: () => text };
}

describe('startTcpProxy', () => {
  let echoA: { port: number; server: Server };
  let echoB: { port: number; server: Server };
  let proxy: TcpProxy;

  beforeEach(async () => {
    [echoA, echoB] = await Promise.all([startEcho('a'), startEcho('b')]);
    proxy = await startTcpProxy({ target: echoA.port });
  });

  afterEach(async () => {
    await proxy.close();
    await Promise.all([echoA, echoB].map(({ server }) => new Promise((resolve) => server.close(resolve))));
  });

  it('should pass bytes both ways', async () => {
    const { socket, received } = client(proxy.port);
    socket.write('hello');
    await waitFor(() => received() === 'a:hello', { message: 'the echo through the proxy' });
    expect(proxy.connections).toBe(1);
    socket.destroy();
  });

  it('should hold every chunk for the delay, in order, when switched to delay at run time', async () => {
    const { socket, received } = client(proxy.port);
    socket.write('1');
    await waitFor(() => received() === 'a:1');
    proxy.setMode('delay', 150);
    const sent = Date.now();
    socket.write('2');
    await waitFor(() => received() === 'a:1a:2', { message: 'the delayed echo' });
    // Two hops (there and back), each held for the delay: never earlier.
    expect(Date.now() - sent).toBeGreaterThanOrEqual(2 * 150 - 5);
    socket.destroy();
  });

  it('should swallow what is sent while blackholed, and pass again afterwards on the same connection', async () => {
    const { socket, received } = client(proxy.port);
    proxy.setMode('blackhole');
    socket.write('lost');
    await waitFor(() => proxy.swallowedBytes === 4, { message: 'the proxy to swallow the bytes' });
    proxy.setMode('pass');
    socket.write('kept');
    await waitFor(() => received().includes('kept'), { message: 'the echo after the blackhole' });
    expect(received()).toBe('a:kept');
    socket.destroy();
  });

  it('should send new connections to the new target, and close open ones on reset', async () => {
    const first = client(proxy.port);
    first.socket.write('x');
    await waitFor(() => first.received() === 'a:x');
    proxy.retarget(echoB.port);
    const second = client(proxy.port);
    second.socket.write('y');
    await waitFor(() => second.received() === 'b:y', { message: 'the echo of the new target' });
    const closed = new Promise<void>((resolve) => first.socket.once('close', () => resolve()));
    proxy.resetConnections();
    await closed;
    second.socket.destroy();
  });
});
