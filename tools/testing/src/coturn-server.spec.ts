import { bindingSucceeds, startCoturn } from './coturn-server';

describe('startCoturn', () => {
  it('should answer STUN on a free loopback port, keep the port across a restart with a new secret, and go on stop', async () => {
    const coturn = await startCoturn({ secret: 'first-secret-0123456789' });
    try {
      expect(coturn.stunUrl).toBe(`stun:127.0.0.1:${coturn.port}`);
      expect(coturn.turnUrl).toBe(`turn:127.0.0.1:${coturn.port}?transport=udp`);
      expect(coturn.secret).toBe('first-secret-0123456789');
      await expect(bindingSucceeds(coturn.port)).resolves.toBe(true);

      await coturn.restart('second-secret-0123456789');

      expect(coturn.secret).toBe('second-secret-0123456789');
      await expect(bindingSucceeds(coturn.port)).resolves.toBe(true);
    } finally {
      await coturn.stop();
    }
    await expect(bindingSucceeds(coturn.port)).resolves.toBe(false);
  });
});
