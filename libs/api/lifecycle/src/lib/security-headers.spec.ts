import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { securityHeaders } from './security-headers';

function headersFor(video: Parameters<typeof securityHeaders>[0]['video'], host: string): Record<string, string> {
  const req = new IncomingMessage(new Socket());
  req.headers.host = host;
  req.method = 'GET';
  req.url = '/';
  const res = new ServerResponse(req);
  for (const handler of securityHeaders({ video })) {
    let passed = false;
    handler(req as Request, res as Response, (() => (passed = true)) as NextFunction);
    expect(passed).toBe(true);
  }
  return Object.fromEntries(Object.entries(res.getHeaders()).map(([name, value]) => [name, String(value)]));
}

describe('securityHeaders', () => {
  it('should allow sockets to the same host, camera and microphone for our pages, and nothing from elsewhere in P2P mode', () => {
    const headers = headersFor({ provider: 'p2p' }, 'help.example.com');
    expect(headers['content-security-policy']).toContain("connect-src 'self' ws://help.example.com wss://help.example.com;");
    expect(headers['content-security-policy']).toContain("media-src 'self' blob:");
    expect(headers['content-security-policy']).not.toContain('tokbox');
    expect(headers['permissions-policy']).toContain('camera=(self), microphone=(self)');
  });

  it('should let the OpenTok SDK reach the Vonage cloud in OpenTok mode', () => {
    const csp = headersFor({ provider: 'opentok', apiKey: 'k', apiSecret: 's' }, 'help.example.com')['content-security-policy'];
    expect(csp).toContain('wss://*.tokbox.com');
    expect(csp).toContain('https://*.opentok.com');
  });

  it('should not echo a Host header that is not a plain host name into the policy', () => {
    const csp = headersFor({ provider: 'p2p' }, "evil.example; script-src 'unsafe-eval'")['content-security-policy'];
    expect(csp).not.toContain('evil');
    expect(csp).toContain("script-src 'self';");
  });
});
