import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { AddressPolicy } from './address-policy.js';
import type { Resolve } from './guarded-lookup.js';
import { CONNECTION_FAILED, WebhookTransport } from './webhook-transport.js';

/** A receiver on 127.0.0.1: `/redirect` answers 302, `/hang` never answers, anything else 204. */
const received: { path: string; host: string; body: string }[] = [];
let server: Server;
let port = 0;

before(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      received.push({ path: req.url ?? '', host: req.headers.host ?? '', body });
      if (req.url === '/hang') return;
      if (req.url === '/redirect') res.writeHead(302, { location: `http://127.0.0.1:${port}/elsewhere` }).end();
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const publicOnly = AddressPolicy.publicOnly();
const allowLoopback = AddressPolicy.parse('127.0.0.1', 'TEST');
/** A resolver that answers every name with these addresses and counts its calls. */
function resolver(...addresses: string[]): Resolve & { calls: number } {
  const r = Object.assign(async () => {
    r.calls++;
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }, { calls: 0 });
  return r;
}
const post = (t: WebhookTransport, url: string) => t.post(url, { 'content-type': 'application/json' }, '{"id":"d1"}');
const sentTo = (path: string) => received.filter((r) => r.path === path);

test('a host name that resolves to an internal address is refused on connecting, and nothing is sent', async () => {
  const dns = resolver('127.0.0.1');
  const result = await post(new WebhookTransport(publicOnly, 5000, dns), `http://rebind.example:${port}/refused-name`);
  assert.deepEqual(result, { httpStatus: null, error: CONNECTION_FAILED, cause: 'blocked address' });
  assert.equal(dns.calls, 1);
  assert.deepEqual(sentTo('/refused-name'), []);
});

test('a literal internal address is refused without connecting', async () => {
  for (const host of ['127.0.0.1', '[::ffff:127.0.0.1]']) {
    const result = await post(new WebhookTransport(publicOnly, 5000, resolver()), `http://${host}:${port}/refused-literal`);
    assert.deepEqual(result, { httpStatus: null, error: CONNECTION_FAILED, cause: 'blocked address' }, host);
  }
  assert.deepEqual(sentTo('/refused-literal'), []);
});

test('allowed by the operator: delivered to the checked address, resolved again on every attempt, under the name it was given', async () => {
  const dns = resolver('::1', '127.0.0.1');
  const t = new WebhookTransport(allowLoopback, 5000, dns);
  for (let i = 0; i < 2; i++) {
    assert.deepEqual(await post(t, `http://receiver.example:${port}/allowed`), { httpStatus: 204, error: null, cause: null });
  }
  assert.equal(dns.calls, 2, 'each attempt resolves the name itself');
  const got = sentTo('/allowed');
  assert.equal(got.length, 2);
  assert.deepEqual(got.map((r) => [r.host, r.body]), [[`receiver.example:${port}`, '{"id":"d1"}'], [`receiver.example:${port}`, '{"id":"d1"}']],
    'the connection goes to the permitted address (::1 is left out), the request still names the host');
});

test('the delivery log reads the same for a refused address, a name that does not resolve and a refused connection', async () => {
  const missing: Resolve = async () => { throw Object.assign(new Error('getaddrinfo ENOTFOUND internal.corp'), { code: 'ENOTFOUND' }); };
  const closed = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as AddressInfo).port; s.close(() => resolve(p)); });
  });
  const outcomes = [
    await post(new WebhookTransport(publicOnly, 5000, resolver('10.0.0.5')), 'http://db.internal.corp/'),
    await post(new WebhookTransport(publicOnly, 5000, missing), 'http://nothing.internal.corp/'),
    await post(new WebhookTransport(allowLoopback, 5000, resolver()), `http://127.0.0.1:${closed}/`),
  ];
  assert.deepEqual(outcomes.map((o) => [o.httpStatus, o.error]), [[null, CONNECTION_FAILED], [null, CONNECTION_FAILED], [null, CONNECTION_FAILED]]);
  assert.deepEqual(outcomes.map((o) => o.cause), ['blocked address', 'ENOTFOUND', 'ECONNREFUSED'], 'the operator\'s log still tells them apart');
});

test('a redirect is not followed: the attempt records its status', async () => {
  const result = await post(new WebhookTransport(allowLoopback, 5000, resolver()), `http://127.0.0.1:${port}/redirect`);
  assert.deepEqual(result, { httpStatus: 302, error: 'HTTP 302', cause: null });
  assert.deepEqual(sentTo('/elsewhere'), []);
});

test('a receiver that does not answer in time is a timeout', async () => {
  const result = await post(new WebhookTransport(allowLoopback, 300, resolver()), `http://127.0.0.1:${port}/hang`);
  assert.deepEqual(result, { httpStatus: null, error: 'timeout', cause: 'timeout' });
});
