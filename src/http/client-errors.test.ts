import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { answerClientError } from './client-errors.js';

let app: FastifyInstance;
let port: number;

before(async () => {
  app = Fastify({ clientErrorHandler: answerClientError });
  app.get('/', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
});
after(() => app.close());

/**
 * Everything the server sends back on one connection, or how the connection failed. Each request is sent once the
 * answer to the one before it has arrived, as a client reusing a kept-alive connection does.
 */
function exchange(...requests: string[]): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (d) => {
      received += d.toString();
      const next = requests.shift();
      if (next) socket.write(next);
    });
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(`${received}[${e.code}]`));
    socket.on('close', () => resolve(received));
    socket.write(requests.shift()!);
  });
}

test('a header section far over the limit is answered 431 every time, not lost to a connection reset', async () => {
  for (let i = 0; i < 20; i++) {
    const reply = await exchange(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(1 << 23)}\r\n\r\n`);
    assert.match(reply, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/, `attempt ${i}: ${reply.slice(0, 80)}`);
    assert.match(reply, /"statusCode":431}$/);
  }
});

test('a malformed request after a good one on a kept-alive connection is answered 400 and the connection closed', async () => {
  const reply = await exchange('GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n');
  assert.match(reply, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\{"ok":true\}HTTP\/1\.1 400 Bad Request\r\nConnection: close\r\n[\s\S]*"statusCode":400\}$/);
});
