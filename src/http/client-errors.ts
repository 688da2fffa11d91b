import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/** How long a refused connection may go on sending before it is cut. */
const LINGER_MS = 2000;

function answerOf(code: string | undefined): [number, string] {
  if (code === 'HPE_HEADER_OVERFLOW') return [431, 'Exceeded maximum allowed HTTP header size'];
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'Client Timeout'];
  return [400, 'Client Error'];
}

/** Per connection, its last request that was answered before its body had all arrived (a refused key, say). */
const answeredEarly = new WeakMap<Socket, IncomingMessage>();

/**
 * Records that `request` has had its answer while its body is still arriving. Node reads the rest of the body so the
 * connection can serve the next request; if that rest is too slow, the request timeout then closes the connection
 * without a second answer. Once the body is complete, the connection's next request is answered as usual.
 */
export function answeredBeforeBody(request: IncomingMessage): void {
  answeredEarly.set(request.socket, request);
}

/**
 * Requests Node's parser refuses (a header section over the size limit, malformed HTTP) are answered as Fastify
 * answers them, but the connection is then closed gracefully. Fastify destroys it at once, while the client is often
 * still sending the oversized header; the unread bytes make the kernel reset the connection, and the reset can
 * overtake the answer, so the client sees "other side closed" instead of 431. Here the answer is followed by a FIN,
 * what the client still sends is read and dropped, and the socket is cut only if the client keeps sending.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  // Node reports every later chunk of a refused request again: the first report answers it.
  if (err.code === 'ECONNRESET' || socket.destroyed || socket.writableEnded) return;
  if (answeredEarly.get(socket)?.complete === false) {
    socket.destroy();
    return;
  }
  const [status, message] = answerOf(err.code);
  const body = JSON.stringify({ error: STATUS_CODES[status], message, statusCode: status });
  if (socket.writable) {
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: ${body.length}\r\nContent-Type: application/json\r\n\r\n${body}`);
  }
  socket.on('data', () => {}).resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
