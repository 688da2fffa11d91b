import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * At most `perClient` open connections from one client address (0: no cap), and `total` in all (Node's
 * `maxConnections`). A connection beyond a cap is closed at once, before a byte of it is read: without a request
 * there is no API family to answer in, and a client holding that many connections is not waiting for an answer.
 * Behind a proxy every client shares the proxy's address (README "Limits and abuse protection").
 */
export function limitConnections(server: Server, perClient: number, total: number): void {
  if (total > 0) server.maxConnections = total;
  if (perClient === 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = (open.get(address) ?? 0) + 1;
    if (count > perClient) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = open.get(address)! - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
