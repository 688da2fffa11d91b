import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call } from '../helpers/http.js';
import { runCli, startLethe, type LetheProcess } from '../helpers/lethe-process.js';

const V = 'version=2021-06-14';
const LIMIT = 5;

describe('rate limits per API key, answered in each API family\'s error format', () => {
  let lethe: LetheProcess;
  const createKey = async (privileges: string) => {
    const r = await runCli(lethe.env, ['keys', 'create', '--name', 'limited', '--privileges', privileges]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).secret as string;
  };

  before(async () => { lethe = await startLethe({ env: { LETHE_RATE_LIMIT_PER_MINUTE: String(LIMIT) } }); });
  after(async () => {
    await lethe.stop();
    lethe.cleanup();
  });

  test('Watson: the request over the limit is 429 {error, code} with Retry-After; another key is unaffected', async () => {
    const key = await createKey('workspaces:read');
    for (let i = 0; i < LIMIT; i++) {
      const ok = await call(lethe.url, 'GET', `/v1/workspaces?${V}`, { key });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('x-ratelimit-remaining'), String(LIMIT - i - 1));
    }
    const limited = await call(lethe.url, 'GET', `/v1/workspaces?${V}`, { key });
    assert.equal(limited.status, 429);
    assert.deepEqual(Object.keys(limited.body).sort(), ['code', 'error']);
    assert.equal(limited.body.code, 429);
    assert.match(limited.body.error, /Rate limit exceeded/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);

    const other = await createKey('workspaces:read');
    assert.equal((await call(lethe.url, 'GET', `/v1/workspaces?${V}`, { key: other })).status, 200, 'each key has its own allowance');
    // The same key sent the other way (Bearer instead of Basic) is the same allowance.
    assert.equal((await call(lethe.url, 'GET', `/v1/workspaces?${V}`, { key, basic: false })).status, 429);
  });

  test('Lethe API: 429 {error: {code, message}}', async () => {
    const key = await createKey('workspaces:read');
    for (let i = 0; i < LIMIT; i++) assert.equal((await call(lethe.url, 'GET', '/api/v1/assistants', { key })).status, 200);
    const limited = await call(lethe.url, 'GET', '/api/v1/assistants', { key });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'too_many_requests');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });

  test('Coveo: 429 {message, type: TooManyRequests}', async () => {
    const key = await createKey('analytics:write');
    const event = { eventType: 'a', eventValue: 'b' };
    const headers = { authorization: `Bearer ${key}` };
    for (let i = 0; i < LIMIT; i++) assert.equal((await call(lethe.url, 'POST', '/rest/ua/v15/analytics/custom', { body: event, headers })).status, 200);
    const limited = await call(lethe.url, 'POST', '/rest/ua/v15/analytics/custom', { body: event, headers });
    assert.deepEqual([limited.status, limited.body.type], [429, 'TooManyRequests']);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });

  test('without a valid key requests count against the client address, so inventing keys buys nothing', async () => {
    // Earlier tests' unauthenticated requests share this address's allowance; whatever is left runs out here.
    const statuses: number[] = [];
    for (let i = 0; i <= LIMIT; i++) statuses.push((await call(lethe.url, 'GET', `/v1/workspaces?${V}`, { key: `lethe_invented-${i}` })).status);
    assert.ok(statuses.every((s) => s === 401 || s === 429), statuses.join());
    assert.equal(statuses.at(-1), 429);
    assert.equal((await call(lethe.url, 'GET', `/v1/workspaces?${V}`)).status, 429, 'no key at all shares the address allowance');
    // A valid key still has its own allowance from the same address.
    assert.equal((await call(lethe.url, 'GET', `/v1/workspaces?${V}`, { key: await createKey('workspaces:read') })).status, 200);
  });

  test('health checks are never limited', async () => {
    for (let i = 0; i < LIMIT * 3; i++) assert.equal((await call(lethe.url, 'GET', '/healthz')).status, 200);
  });
});

describe('LETHE_RATE_LIMIT_PER_MINUTE=0 turns the limit off', () => {
  test('many requests with one key all pass', async () => {
    const lethe = await startLethe({ env: { LETHE_RATE_LIMIT_PER_MINUTE: '0' } });
    try {
      for (let i = 0; i < 30; i++) assert.equal((await call(lethe.url, 'GET', `/v1/workspaces?${V}`, { key: lethe.adminKey })).status, 200);
    } finally {
      await lethe.stop();
      lethe.cleanup();
    }
  });
});
