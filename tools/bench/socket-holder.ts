/**
 * A child process of the bench that holds many customer sockets (one process holds a few thousand; the bench
 * starts several for 10,000). Told over IPC whom to connect, it connects in batches and answers once each
 * socket has had its first customer state; it keeps them open until told to close.
 */
import { PRESENCE_NAMESPACE } from '@servicekit/contracts';
import { io, Socket } from 'socket.io-client';

/** `deadline` (epoch ms): no batch starts after it, so the bench keeps to its time budget. */
export type HolderRequest = { type: 'connect'; url: string; tokens: string[]; batch: number; deadline: number } | { type: 'close' };
export type HolderReply = { type: 'connected'; count: number; failed: number; notTried: number } | { type: 'closed' };

const sockets: Socket[] = [];

/** Resolves true once the socket has its first customer state; false when refused, dropped first, or after 30 s. */
function connectOne(url: string, token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = io(`${url}${PRESENCE_NAMESPACE}`, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(socket);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.off('disconnect', dropped);
      resolve(ok);
    };
    const dropped = () => done(false);
    const timer = setTimeout(() => done(false), 30_000);
    socket.once('customer:state', () => done(true));
    socket.once('connect_error', dropped);
    // The server closes a connection it could not set up (e.g. a store call that timed out).
    socket.once('disconnect', dropped);
  });
}

process.on('message', (message: HolderRequest) => {
  void (async () => {
    if (message.type === 'close') {
      sockets.forEach((socket) => socket.disconnect());
      process.send?.({ type: 'closed' } satisfies HolderReply, () => process.exit(0));
      return;
    }
    let failed = 0;
    let tried = 0;
    for (let start = 0; start < message.tokens.length && Date.now() < message.deadline; start += message.batch) {
      const batch = message.tokens.slice(start, start + message.batch);
      const results = await Promise.all(batch.map((token) => connectOne(message.url, token)));
      tried += batch.length;
      failed += results.filter((ok) => !ok).length;
    }
    const notTried = message.tokens.length - tried;
    process.send?.({ type: 'connected', count: tried - failed, failed, notTried } satisfies HolderReply);
  })();
});
