import { startApiServer } from '@servicekit/tools/e2e-support';

describe('configuration at start-up', () => {
  it('should refuse to start on a bad value and name the variable', async () => {
    await expect(startApiServer({ PORT: 'eighty' })).rejects.toThrow(
      /exited with code 1[\s\S]*PORT must be a whole number from 0 to 65535 \(got "eighty"\)/,
    );
  });

  it('should refuse half an OpenTok configuration', async () => {
    await expect(startApiServer({ OPENTOK_API_KEY: '12345' })).rejects.toThrow(/OPENTOK_API_KEY is set but OPENTOK_API_SECRET is not/);
  });

  it('should print generated passcode and operator token once, never the token secret', async () => {
    const server = await startApiServer();
    try {
      expect(server.output()).toMatch(/REP_PASSCODE=[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}/);
      expect(server.output()).toMatch(/OPS_TOKEN=\S{16,}/);
      expect(server.output()).not.toMatch(/TOKEN_SECRET=/);
    } finally {
      await server.stop();
    }
  });
});
