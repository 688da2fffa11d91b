import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { call } from '../helpers/http.js';
import { startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { waitFor } from '../helpers/wait.js';

/** One raw connection: what the server sent, and when (ms after it was opened) the server closed it. */
interface Raw {
  socket: Socket;
  received: () => string;
  /** Resolves once the connection is closed, with the milliseconds it stayed open. */
  closed: Promise<number>;
  /** Resolves with the first bytes the server sends. */
  firstAnswer: Promise<string>;
}

function open(url: string, localAddress = '127.0.0.1'): Raw {
  const { port } = new URL(url);
  const started = Date.now();
  const socket = connect({ host: '127.0.0.1', port: Number(port), localAddress });
  let received = '';
  let answered: (s: string) => void;
  const firstAnswer = new Promise<string>((resolve) => { answered = resolve; });
  socket.on('data', (d) => { received += d.toString(); answered(received); });
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => socket.on('close', () => { answered(received); resolve(Date.now() - started); }));
  return { socket, received: () => received, closed, firstAnswer };
}

/** Writes `bytes` one at a time, `everyMs` apart, until the connection is closed. */
function trickle(raw: Raw, bytes: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (raw.socket.destroyed || i >= bytes.length) clearInterval(timer);
    else raw.socket.write(bytes[i++]!);
  }, everyMs);
  void raw.closed.then(() => clearInterval(timer));
}

const basic = (key: string) => `Basic ${Buffer.from(`apikey:${key}`).toString('base64')}`;

/**
 * Item 5 of issue 15: a client that sends slowly, or holds many connections, is cut off within the configured
 * bounds, while everyone else is served. Transport behaviour, the same on either engine: it runs on SQLite.
 */
describe('slow clients cannot hold the server', () => {
  const HEADERS_MS = 600;
  const REQUEST_MS = 1500;
  // The bound, plus Node's check interval (a quarter of the header bound here), plus room for a loaded machine.
  const SLACK_MS = 2000;
  let lethe: LetheProcess;

  before(async () => {
    lethe = await startLethe({ env: { LETHE_HEADERS_TIMEOUT_MS: String(HEADERS_MS), LETHE_REQUEST_TIMEOUT_MS: String(REQUEST_MS) } });
  });
  after(async () => {
    await lethe.stop();
    lethe.cleanup();
  });

  /** The server answered 408 and closed the connection once `boundMs` had passed, within the slack. */
  async function cutOffAfter(raw: Raw, boundMs: number) {
    const ms = await raw.closed;
    assert.match(raw.received(), /^HTTP\/1\.1 408 /);
    assert.ok(ms >= boundMs - 50 && ms < boundMs + SLACK_MS, `cut off after ${ms} ms`);
  }

  /** While `raw` is held open, another connection is served at once. */
  async function othersAreServed(raw: Raw) {
    const res = await call(lethe.url, 'GET', '/v1/workspaces?version=2021-06-14', { key: lethe.adminKey });
    assert.equal(res.status, 200);
    assert.equal(raw.socket.destroyed, false, 'the slow client was still connected while another was served');
  }

  test('headers sent a byte at a time are cut off with 408 once the header bound has passed', async () => {
    const raw = open(lethe.url);
    raw.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    trickle(raw, 'X-Slow: '.padEnd(400, 'a'), 100);
    await othersAreServed(raw);
    await cutOffAfter(raw, HEADERS_MS);
  });

  test('a body sent at 1 byte/s with a valid key is cut off with 408 once the request bound has passed', async () => {
    const raw = open(lethe.url);
    raw.socket.write(`POST /v1/workspaces/none/message?version=2021-06-14 HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(lethe.adminKey)}\r\n`
      + 'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n');
    trickle(raw, `{"input":{"text":"${'a'.repeat(80)}"}}`, 1000);
    await othersAreServed(raw);
    await cutOffAfter(raw, REQUEST_MS);
  });

  test('a key-less beacon form on a Coveo route is read only up to 32 KiB, and only as long as the request bound', async () => {
    const slow = open(lethe.url);
    slow.socket.write('POST /rest/ua/v15/analytics/collect HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 30000\r\n\r\n');
    trickle(slow, `collectEvent=${encodeURIComponent(JSON.stringify({ t: 'event', el: 'x'.repeat(29000) }))}`, 200);
    await othersAreServed(slow);
    await cutOffAfter(slow, REQUEST_MS);

    // Each of these is answered from its headers alone: not a byte of the body is sent.
    const refusals: [string, RegExp][] = [
      ['Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000000', /^HTTP\/1\.1 413 [^]*"type":"RequestTooLarge"/],
      ['Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked', /^HTTP\/1\.1 413 [^]*"type":"RequestTooLarge"/],
      ['Content-Type: application/json\r\nContent-Length: 200000', /^HTTP\/1\.1 400 [^]*"type":"InvalidToken"/],
      ['Authorization: Bearer lethe_not-a-key\r\nContent-Type: application/json\r\nContent-Length: 200000', /^HTTP\/1\.1 400 [^]*"type":"InvalidToken"/],
      ['Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\nAuthorization: Bearer lethe_not-a-key', /^HTTP\/1\.1 400 [^]*"type":"InvalidToken"/],
    ];
    for (const [headers, expected] of refusals) {
      const raw = open(lethe.url);
      raw.socket.write(`POST /rest/ua/v15/analytics/search HTTP/1.1\r\nHost: x\r\n${headers}\r\n\r\n`);
      assert.match(await raw.firstAnswer, expected, headers);
      raw.socket.destroy();
    }
  });

  test('a connection whose request was refused before its body arrived serves its next request once the body is in', async () => {
    const raw = open(lethe.url);
    raw.socket.write('POST /rest/ua/v15/analytics/search HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer lethe_not-a-key\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n');
    assert.match(await raw.firstAnswer, /^HTTP\/1\.1 400 /);
    raw.socket.write(`{}GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    await raw.closed;
    assert.match(raw.received(), /HTTP\/1\.1 400 [^]*HTTP\/1\.1 431 /, 'the next request is answered, not dropped');
  });

  test('a connection whose request was refused before its body arrived is closed without a second answer if the body never comes', async () => {
    const raw = open(lethe.url);
    raw.socket.write('POST /rest/ua/v15/analytics/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{');
    assert.match(await raw.firstAnswer, /^HTTP\/1\.1 400 /);
    await raw.closed;
    assert.equal(raw.received().match(/HTTP\/1\.1 /g)!.length, 1, raw.received());
  });

  test('the beacon form with its key in the body is still accepted', async () => {
    const res = await fetch(`${lethe.url}/rest/ua/v15/analytics/collect`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: lethe.adminKey, collectEvent: JSON.stringify({ t: 'pageview', dl: 'https://example.com/' }) }).toString(),
    });
    assert.equal(res.status, 200, await res.text());
  });
});

describe('connections are capped per client address and in total', () => {
  const PER_CLIENT = 4;
  const TOTAL = 6;
  let lethe: LetheProcess;
  const held: Raw[] = [];

  before(async () => {
    lethe = await startLethe({ env: { LETHE_MAX_CONNECTIONS_PER_CLIENT: String(PER_CLIENT), LETHE_MAX_CONNECTIONS: String(TOTAL) } });
  });
  after(async () => {
    for (const raw of held) raw.socket.destroy();
    await lethe.stop();
    lethe.cleanup();
  });

  /** A connection from `address` that is served (one kept-alive request answered), and stays open. */
  async function served(address: string): Promise<Raw> {
    const raw = open(lethe.url, address);
    raw.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.match(await raw.firstAnswer, /^HTTP\/1\.1 200 /, `a connection from ${address}`);
    held.push(raw);
    return raw;
  }

  /** A connection from `address` that the server closes without answering. */
  async function refused(address: string) {
    const raw = open(lethe.url, address);
    raw.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await raw.closed;
    assert.equal(raw.received(), '', `a connection from ${address} over the cap is closed unanswered`);
  }

  test('a client opening more than the per-address cap is refused beyond it, while another address is served', async () => {
    const first = await served('127.0.0.1');
    for (let i = 1; i < PER_CLIENT; i++) await served('127.0.0.1');
    await refused('127.0.0.1');
    await served('127.0.0.2');
    // A connection closed frees its place.
    first.socket.destroy();
    await first.closed;
    const again = await waitFor(async () => {
      const raw = open(lethe.url);
      raw.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      const answer = await raw.firstAnswer;
      if (answer) held.push(raw);
      return answer;
    }, (answer) => answer !== '', 5000);
    assert.match(again, /^HTTP\/1\.1 200 /);
  });

  test('beyond the total cap every new connection is refused, whatever its address', async () => {
    // 4 from 127.0.0.1 and 1 from 127.0.0.2 are open: one more fits.
    await served('127.0.0.3');
    await refused('127.0.0.4');
  });
});
