import { type IncomingMessage, type Server, STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiError } from '@servicekit/contracts';

function errorBody(statusCode: number, message: string): string {
  const body: ApiError = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', code: 'validation_failed', message };
  return JSON.stringify(body);
}

/** What Node's HTTP parser refused, by its error code, in the contract's terms. */
function clientErrorAnswer(code: string | undefined): { status: number; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, message: 'The request headers are too large. Send fewer or shorter headers.' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, message: 'The request took too long to arrive. Send it again.' };
  return { status: 400, message: 'The request is not valid HTTP. Check its request line and headers.' };
}

/**
 * The answers Node's HTTP server gives before any middleware runs: a request its parser refuses (a bad
 * Transfer-Encoding, a header too large) and an `Expect` it does not meet. Node sends those with an empty body;
 * here they carry the contract's error body like every other 4xx.
 */
export function answerProtocolErrors(server: Server): void {
  // The response in progress on each connection. Once its head is out, a second answer would corrupt the
  // stream (the parser can fail on a request's body after the app answered it): Node's own rule.
  const inProgress = new WeakMap<Socket, ServerResponse>();
  const track = (response: ServerResponse) => {
    const socket = response.socket;
    if (!socket) return;
    inProgress.set(socket, response);
    response.once('finish', () => inProgress.delete(socket));
  };
  server.on('request', (_request: IncomingMessage, response: ServerResponse) => track(response));

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable || inProgress.get(socket)?.headersSent) {
      socket.destroy();
      return;
    }
    const { status, message } = clientErrorAnswer(error.code);
    const body = errorBody(status, message);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    track(response);
    const body = errorBody(417, 'The API does not meet this Expect header. Send the request without it, or with "Expect: 100-continue".');
    response.writeHead(417, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
}
