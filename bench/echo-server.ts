import { createServer } from 'node:http';
import Fastify from 'fastify';

/**
 * The baselines: a bare Node HTTP server, and the same echo on bare Fastify, each reading the JSON body, parsing it
 * and answering a small JSON reply with no auth, validation, logging or storage. Lethe's throughput is reported as
 * a share of these, measured in the same run. `node echo-server.ts fastify` starts the Fastify one.
 */
function announce(port: number): void {
  process.stdout.write(`listening ${port}\n`);
}

if (process.argv[2] === 'fastify') {
  const app = Fastify();
  app.post('/', async (req) => ({ output: { text: [(req.body as { input?: { text?: string } }).input?.text ?? ''] } }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  announce((app.server.address() as { port: number }).port);
} else {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { input?: { text?: string } };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ output: { text: [body.input?.text ?? ''] } }));
    });
  });
  server.listen(0, '127.0.0.1', () => announce((server.address() as { port: number }).port));
}
