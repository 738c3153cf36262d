import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { securityHeaders } from './security-headers';

type HeaderConfig = Parameters<typeof securityHeaders>[0];

const SHOP = 'https://shop.example';
const NO_EMBEDDING: HeaderConfig['embed'] = { origins: [], contextSecret: null };

function headersFor(
  video: HeaderConfig['video'],
  host: string,
  { url = '/', embed = NO_EMBEDDING }: { url?: string; embed?: HeaderConfig['embed'] } = {},
): Record<string, string> {
  const req = new IncomingMessage(new Socket());
  req.headers.host = host;
  req.method = 'GET';
  req.url = url;
  const res = new ServerResponse(req);
  for (const handler of securityHeaders({ video, embed })) {
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

  const frameAncestors = (headers: Record<string, string>) => /frame-ancestors [^;]*/.exec(headers['content-security-policy'] ?? '')?.[0];

  it('should let nothing frame any page when EMBED_ORIGINS is unset, the embed page included', () => {
    for (const url of ['/', '/embed', '/embed?host=https%3A%2F%2Fshop.example', '/rep/', '/api/health']) {
      const headers = headersFor({ provider: 'p2p' }, 'help.example.com', { url });
      expect(frameAncestors(headers)).toBe("frame-ancestors 'none'");
      expect(headers['x-frame-options']).toBe('DENY');
    }
  });

  it('should let exactly the EMBED_ORIGINS sites frame the embed page, and nothing else', () => {
    const embed = { origins: [SHOP, 'http://127.0.0.1:8080'], contextSecret: null };
    for (const url of ['/embed', `/embed?host=${encodeURIComponent(SHOP)}&lang=de`]) {
      const headers = headersFor({ provider: 'p2p' }, 'help.example.com', { url, embed });
      expect(frameAncestors(headers)).toBe(`frame-ancestors ${SHOP} http://127.0.0.1:8080`);
      expect(headers['x-frame-options']).toBeUndefined();
      expect(headers['permissions-policy']).toContain('camera=(self), microphone=(self)');
    }
    for (const url of ['/', '/help', '/embed/', '/embedded', '/rep/', '/rep/embed', '/rep/ops', '/api/embed', '/embed.js']) {
      const headers = headersFor({ provider: 'p2p' }, 'help.example.com', { url, embed });
      expect([url, frameAncestors(headers), headers['x-frame-options']]).toEqual([url, "frame-ancestors 'none'", 'DENY']);
    }
  });
});
