import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readConfig } from './config.js';

test('defaults are the documented ones', () => {
  const c = readConfig({});
  assert.equal(c.port, 8080);
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.databaseUrl, 'sqlite:./data/lethe.db');
  assert.equal(c.instance, 'default');
  assert.equal(c.adminKey, undefined);
  assert.equal(c.sqliteSynchronous, 'FULL');
});

test('bad settings fail at start-up with the variable named, never echoing a secret', () => {
  assert.throws(() => readConfig({ PORT: 'eighty' }), /PORT/);
  assert.throws(() => readConfig({ LETHE_INSTANCE: 'has space' }), /LETHE_INSTANCE/);
  assert.throws(() => readConfig({ LETHE_SQLITE_SYNCHRONOUS: 'OFF' }), /LETHE_SQLITE_SYNCHRONOUS/);
  assert.throws(() => readConfig({ LETHE_ADMIN_KEY: 'short-secret' }), (err: Error) => /LETHE_ADMIN_KEY/.test(err.message) && !err.message.includes('short-secret'));
});

test('retention and webhook delivery settings default to the documented values', () => {
  const c = readConfig({});
  assert.deepEqual([c.retentionIntervalSeconds, c.webhookMaxAttempts, c.webhookRetryBaseMs, c.webhookTimeoutMs], [60, 8, 30_000, 10_000]);
  assert.throws(() => readConfig({ LETHE_RETENTION_INTERVAL_SECONDS: '0' }), /LETHE_RETENTION_INTERVAL_SECONDS/);
  assert.throws(() => readConfig({ LETHE_WEBHOOK_MAX_ATTEMPTS: 'many' }), /LETHE_WEBHOOK_MAX_ATTEMPTS/);
});

test('webhooks reach no internal address unless LETHE_WEBHOOK_ALLOW_HOSTS lists it; a host name there is refused', () => {
  assert.equal(readConfig({}).webhookAddresses.permits('127.0.0.1'), false);
  assert.equal(readConfig({ LETHE_WEBHOOK_ALLOW_HOSTS: '127.0.0.1,10.0.0.0/8' }).webhookAddresses.permits('10.9.8.7'), true);
  assert.throws(() => readConfig({ LETHE_WEBHOOK_ALLOW_HOSTS: 'localhost' }), /LETHE_WEBHOOK_ALLOW_HOSTS/);
});

test('the rate limit defaults to 6000 a minute per key; 0 turns it off; anything else is refused', () => {
  assert.equal(readConfig({}).rateLimitPerMinute, 6000);
  assert.equal(readConfig({ LETHE_RATE_LIMIT_PER_MINUTE: '0' }).rateLimitPerMinute, 0);
  for (const bad of ['-1', '1.5', 'lots', '']) assert.throws(() => readConfig({ LETHE_RATE_LIMIT_PER_MINUTE: bad }), /LETHE_RATE_LIMIT_PER_MINUTE/);
});

test('LETHE_PUBLIC_URL is an absolute http(s) URL, kept without its trailing slash; unset, links name the listen address', () => {
  assert.equal(readConfig({}).publicUrl, undefined);
  assert.equal(readConfig({ LETHE_PUBLIC_URL: 'https://privacy.example.com/lethe/' }).publicUrl, 'https://privacy.example.com/lethe');
  assert.equal(readConfig({ LETHE_PUBLIC_URL: 'http://10.0.0.7:8080' }).publicUrl, 'http://10.0.0.7:8080');
  for (const bad of ['privacy.example.com', '/lethe', 'ftp://example.com', 'https://user:pw@example.com', 'https://example.com/?x=1', 'https://example.com/#top']) {
    assert.throws(() => readConfig({ LETHE_PUBLIC_URL: bad }), /LETHE_PUBLIC_URL/, bad);
  }
});

test('client time bounds and connection caps default to the documented values; headers cannot outlast the request', () => {
  const c = readConfig({});
  assert.deepEqual(c.clientTimeouts, { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 72_000, idleMs: 60_000 });
  assert.deepEqual([c.maxConnectionsPerClient, c.maxConnections], [256, 1000]);
  assert.equal(readConfig({ LETHE_MAX_CONNECTIONS_PER_CLIENT: '0' }).maxConnectionsPerClient, 0);
  assert.throws(() => readConfig({ LETHE_REQUEST_TIMEOUT_MS: '0' }), /LETHE_REQUEST_TIMEOUT_MS/);
  assert.throws(() => readConfig({ LETHE_HEADERS_TIMEOUT_MS: '40000' }), /LETHE_HEADERS_TIMEOUT_MS must not exceed LETHE_REQUEST_TIMEOUT_MS/);
});
