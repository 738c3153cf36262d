import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { answerProtocolErrors } from './protocol-errors';

/** Writes raw bytes to the server and resolves with everything it answers until it closes the connection. */
function exchange(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(raw);
  });
}

function parse(answer: string): { status: number; body: unknown } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), body: JSON.parse(body) };
}

describe('answerProtocolErrors', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    // Answers on the next turn, as an app does: the parser may fail on the request's body before that.
    server = createServer((_request, response) => setImmediate(() => response.end('served')));
    answerProtocolErrors(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['a header name with a space in it', 'GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n', 400],
    ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n', 400],
    ['headers over the size limit', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
  ])('should answer %s in the contract’s shape', async (_, raw, status) => {
    const answer = parse(await exchange(port, raw));
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({
      statusCode: status,
      error: expect.any(String),
      code: 'validation_failed',
      message: expect.stringMatching(/^[A-Z].*\.$/),
    });
  });

  it('should answer an Expect it does not meet with 417 in the contract’s shape, and still serve the next request', async () => {
    const answer = await exchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nExpect: nonsense\r\nConnection: close\r\n\r\n');
    expect(parse(answer)).toEqual({
      status: 417,
      body: { statusCode: 417, error: 'Expectation Failed', code: 'validation_failed', message: expect.stringMatching(/Expect header/) },
    });
    expect(await exchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toContain('served');
  });

  it('should answer 400 when the parser fails on a request the app has not answered yet', async () => {
    const answer = await exchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n');
    expect(answer.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(parse(answer).status).toBe(400);
  });

  it('should not write a second answer when the parser fails on a request already answered', async () => {
    const answer = await exchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nExpect: nonsense\r\nTransfer-Encoding: gzip\r\n\r\nnot http at all');
    expect(answer.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(parse(answer).status).toBe(417);
  });
});
