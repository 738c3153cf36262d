import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { createRequestLogging, requestId, scrubLine } from './request-logging';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

function request(headers: Record<string, string> = {}): { req: IncomingMessage; res: ServerResponse } {
  const req = new IncomingMessage(new Socket());
  Object.assign(req.headers, headers);
  return { req, res: new ServerResponse(req) };
}

describe('scrubLine', () => {
  it('should redact secret keys at any depth and any token-looking value', () => {
    const line = JSON.stringify({
      msg: `claimed with ${JWT}`,
      body: { customerName: 'Ada', nested: [{ problemText: 'Router', passcode: 'x' }], token: 1 },
      headers: { Authorization: 'Bearer abc', cookie: 'sk_rep=abc' },
      keep: 'this',
    });
    const scrubbed = JSON.parse(scrubLine(`${line}\n`));
    expect(scrubbed).toEqual({
      msg: 'claimed with [Redacted]',
      body: { customerName: '[Redacted]', nested: [{ problemText: '[Redacted]', passcode: '[Redacted]' }], token: '[Redacted]' },
      headers: { Authorization: '[Redacted]', cookie: '[Redacted]' },
      keep: 'this',
    });
  });

  it('should leave lines without secrets as they are', () => {
    const line = '{"level":"info","msg":"GET /api/health 200"}\n';
    expect(scrubLine(line)).toBe(line);
  });
});

describe('requestId', () => {
  it('should keep a sane incoming X-Request-Id and echo it', () => {
    const { req, res } = request({ 'x-request-id': 'abc-123' });
    expect(requestId(req, res)).toBe('abc-123');
    expect(res.getHeader('X-Request-Id')).toBe('abc-123');
  });

  it.each(['with space', 'x'.repeat(200), '"quoted"', 'line\nbreak'])('should replace %j with a new id', (incoming) => {
    const { req, res } = request({ 'x-request-id': incoming });
    const id = requestId(req, res);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.getHeader('X-Request-Id')).toBe(id);
  });
});

describe('createRequestLogging', () => {
  it('should write JSON lines at the configured level with secrets scrubbed', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const { logger } = createRequestLogging('info', sink);
    logger.debug('not at info');
    logger.info({ customerToken: JWT, headers: { authorization: `Bearer ${JWT}` } }, 'issued');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 'info', msg: 'issued', customerToken: '[Redacted]', headers: { authorization: '[Redacted]' } });
    expect(lines[0]).not.toContain(JWT);
  });
});
