import { SHARED_SECRETS, ApiServer, startApiServer } from '@servicekit/tools/e2e-support';

/** A help session asked for from "behind" a proxy that says the client is `forwardedFor`. */
async function askFrom(base: string, forwardedFor: string): Promise<number> {
  const reply = await fetch(`${base}/api/help-sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ customerName: 'Proxy Pat', problemText: 'Behind a proxy' }),
  });
  return reply.status;
}

describe.each([
  { trustProxy: '1', trusted: true },
  { trustProxy: undefined, trusted: false },
])('rate limits with TRUST_PROXY=$trustProxy', ({ trustProxy, trusted }) => {
  let server: ApiServer;

  beforeAll(async () => {
    server = await startApiServer({ ...SHARED_SECRETS, HELP_SESSION_RATE_LIMIT: '2', ...(trustProxy ? { TRUST_PROXY: trustProxy } : {}) });
  });

  afterAll(async () => {
    await server?.stop();
  });

  if (trusted) {
    it('should limit each X-Forwarded-For client separately', async () => {
      const first = [
        await askFrom(server.url, '203.0.113.1'),
        await askFrom(server.url, '203.0.113.1'),
        await askFrom(server.url, '203.0.113.1'),
      ];
      expect(first).toEqual([201, 201, 429]);
      expect([await askFrom(server.url, '203.0.113.2'), await askFrom(server.url, '203.0.113.2')]).toEqual([201, 201]);
      // Only the hop the proxy added counts: a client cannot pick its own address by prepending one.
      expect(await askFrom(server.url, '198.51.100.9, 203.0.113.1')).toBe(429);
    });
  } else {
    it('should ignore X-Forwarded-For and limit by the connecting address', async () => {
      const statuses = [
        await askFrom(server.url, '203.0.113.1'),
        await askFrom(server.url, '203.0.113.2'),
        await askFrom(server.url, '203.0.113.3'),
      ];
      expect(statuses).toEqual([201, 201, 429]);
    });
  }
});
