import type { Request } from 'express';
import { ForbiddenError, requireSameOrigin } from './same-origin';

function request(method: string, headers: Record<string, string>): Request {
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { method, protocol: 'http', get: (name: string) => lower[name.toLowerCase()] } as unknown as Request;
}

describe('requireSameOrigin', () => {
  const here = { host: 'localhost:3000' };

  it('should let safe methods through whatever their origin', () => {
    expect(() => requireSameOrigin(request('GET', { ...here, origin: 'https://evil.example' }), null)).not.toThrow();
  });

  it('should accept a change from this origin, or from the public URL when one is configured', () => {
    expect(() => requireSameOrigin(request('POST', { ...here, origin: 'http://localhost:3000' }), null)).not.toThrow();
    expect(() =>
      requireSameOrigin(request('DELETE', { ...here, origin: 'https://help.example.com' }), 'https://help.example.com'),
    ).not.toThrow();
    expect(() => requireSameOrigin(request('POST', { ...here, 'sec-fetch-site': 'same-origin' }), null)).not.toThrow();
  });

  it('should refuse a change from another origin, a sibling port, or one that says nothing, with a sentence', () => {
    const refused: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'http://localhost:3001' },
      {},
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of refused) {
      expect(() => requireSameOrigin(request('POST', { ...here, ...headers }), null)).toThrow(ForbiddenError);
    }
    expect(() => requireSameOrigin(request('POST', { ...here, origin: 'https://evil.example' }), null)).toThrow(
      /came from another site \(https:\/\/evil.example\).*Open Service Kit itself/,
    );
  });
});
