import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/** How long a refused connection may go on sending before it is cut. */
const LINGER_MS = 2000;

function answerOf(code: string | undefined): [number, string] {
  if (code === 'HPE_HEADER_OVERFLOW') return [431, 'Exceeded maximum allowed HTTP header size'];
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'Client Timeout'];
  return [400, 'Client Error'];
}

/** Connections whose request was answered before its body arrived (a refused key, say); see answeredEarly. */
const answered = new WeakSet<Socket>();

/**
 * Records that the request in progress on `socket` has had its answer while its body is still arriving. Node reads
 * the rest of the body so the connection can serve the next request; if that rest is too slow, the request timeout
 * then closes the connection without a second answer.
 */
export function answeredEarly(socket: Socket): void {
  answered.add(socket);
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
  if (answered.has(socket)) {
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
