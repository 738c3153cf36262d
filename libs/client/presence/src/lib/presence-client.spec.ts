import { createServer, Server as HttpServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { PRESENCE_NAMESPACE, PRESENCE_REFUSALS } from '@servicekit/contracts';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the test plays the server side of the protocol
import { Server } from 'socket.io';
import { PresenceClient } from './presence-client';

describe('PresenceClient', () => {
  let http: HttpServer;
  let io: Server;
  let url: string;
  const received: unknown[] = [];

  beforeAll(async () => {
    http = createServer();
    io = new Server(http, { transports: ['websocket'] });
    const presence = io.of(PRESENCE_NAMESPACE);
    presence.use((socket, next) => (socket.handshake.auth['token'] === 'good' ? next() : next(new Error(PRESENCE_REFUSALS.badToken))));
    presence.on('connection', (socket) => {
      socket.emit('customer:state', { state: 'waiting', position: 2, estimatedWaitMs: 1000 });
      socket.on('media:connected', (payload: unknown, ack: (r: unknown) => void) => {
        received.push(payload);
        ack({ ok: true });
        socket.emit('customer:state', { state: 'waiting', position: 1, estimatedWaitMs: 500 });
      });
      socket.on('signal', (message: unknown, ack: (r: unknown) => void) => ack({ ok: false, error: 'You are not in a call.' }));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await io.close();
  });

  it('should connect, keep the latest state and wait for a state that matches', async () => {
    const client = new PresenceClient({ url, token: 'good' });
    await client.ready();
    expect(client.connected).toBe(true);
    await expect(client.customerStateWhere((s) => s.state === 'waiting')).resolves.toMatchObject({ position: 2 });
    const moved = client.customerStateWhere((s) => s.state === 'waiting' && s.position === 1);
    await expect(client.mediaConnected('m_1')).resolves.toBe(true);
    await expect(moved).resolves.toMatchObject({ position: 1 });
    expect(received).toEqual([{ matchId: 'm_1' }]);
    await expect(client.signal({ kind: 'hangup' })).resolves.toEqual({ ok: false, error: 'You are not in a call.' });
    client.close();
  });

  it('should reject with the server reason when the handshake is refused', async () => {
    const client = new PresenceClient({ url, token: 'bad' });
    await expect(client.ready()).rejects.toThrow(PRESENCE_REFUSALS.badToken);
    client.close();
  });

  it('should give up waiting for a state after the timeout, saying what it saw', async () => {
    const client = new PresenceClient({ url, token: 'good' });
    await client.ready();
    await expect(client.customerStateWhere((s) => s.state === 'ended', 200)).rejects.toThrow(/No matching customer:state within 200 ms/);
    client.close();
  });
});
