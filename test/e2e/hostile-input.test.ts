import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RegisteredRoute } from '../../src/http/route-table.js';
import { bankingWorkspace } from '../fixtures/workspace.js';
import { call, type Reply } from '../helpers/http.js';
import { HOSTILE_STRINGS, HOSTILE_VALUES, MALFORMED_BODIES, deeplyNested } from '../helpers/hostile-values.js';
import { startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { serverRoutes } from '../helpers/route-table.js';
import { fuzzInput, seededRandom } from '../helpers/seeded-random.js';
import { storedLogTexts } from '../helpers/traffic.js';

const V = 'version=2021-06-14';
const SEED = Number(process.env.LETHE_TEST_SEED ?? 8);
/** Query parameters the routes read, plus some they do not: each gets hostile values. */
const QUERY_PARAMS = ['version', 'filter', 'page_limit', 'cursor', 'sort', 'customer_id', 'from', 'to', 'org', 'visitor', 'visitorId', 'format',
  'limit', 'include_count', 'include_audit', 'f', 'fs', 'fc', 'd', 'tables', 'dimensions', 'access_token', 'start', 'end', 'bucket', 'unknown'];
const FILTER_PIECES = ['customer_id', 'language', 'workspace_id', 'request.input.text', 'response.intents:intent', 'request_timestamp', '::', ':', '>=', '<', '~',
  ',', '|', '(', ')', '"', '\\', 'en', '2020-01-01', '*', ' ', 'balance', '!', ':!'];
const METADATA_PIECES = ['customer_id', '=', ';', ' ', 'x', '"', ',', '\u0000', '\uD800', 'é', '%20', 'customer_id=a', 'a'.repeat(300)];

/** URLs carry UTF-8, which cannot hold a lone surrogate: it goes as U+FFFD (bodies still carry raw ones as \\uD800). */
const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

describe(`hostile input never gets a 5xx and stores nothing when refused (seed ${SEED})`, () => {
  let lethe: LetheProcess;
  let routes: RegisteredRoute[];
  const random = seededRandom(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const params: Record<string, string> = { instance_id: 'default', org: 'default', userId: 'fuzz-visitor', token: 'x'.repeat(43) };
  const statuses = new Map<number, number>();

  async function send(method: string, path: string, opts: { rawBody?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
    const headers = { 'content-type': 'application/json', ...opts.headers };
    let r: Reply;
    try {
      r = await call(lethe.url, method, path, { key: lethe.adminKey, basic: false, rawBody: opts.rawBody, headers });
    } catch (err) {
      // fetch refuses some inputs itself (a header with a NUL): that is the client, not the server.
      if (err instanceof TypeError && !/fetch failed/.test(err.message)) return { status: 0, body: undefined, headers: new Headers() };
      throw new Error(`${method} ${path.slice(0, 120)}: the server did not answer (${(err as Error).message}: ${String((err as { cause?: unknown }).cause)}): ${lethe.output().slice(-2000)}`);
    }
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    assert.ok(r.status < 500, `${method} ${path.slice(0, 200)} body ${String(opts.rawBody).slice(0, 200)}: ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  }
  const pathOf = (route: RegisteredRoute) => route.url.replace(/:(\w+)/g, (_, n: string) => encodeURIComponent(params[n] ?? `unknown-${n}`));
  const hostileJson = (): string => {
    const roll = random();
    if (roll < 0.3) return pick(MALFORMED_BODIES);
    // A plausible object with hostile values in known and unknown places.
    const obj: Record<string, unknown> = {};
    for (const k of ['input', 'text', 'context', 'name', 'description', 'eventType', 'eventValue', 'customData', 'privileges', 'url', 'events', 'kind', 'value',
      'verdict', 'detectors', 'from', 'to', 'workspace_id', 'intents', 'entities', 'dialog_nodes', 'meta', 'searchQueryUid', 'language', 'userAgent', 'analytics_enabled']) {
      if (random() < 0.3) obj[k] = random() < 0.3 ? { text: pick(HOSTILE_VALUES), ...(random() < 0.3 ? { nested: pick(HOSTILE_VALUES) } : {}) } : pick(HOSTILE_VALUES);
    }
    const json = JSON.stringify(random() < 0.15 ? [obj] : obj);
    return roll < 0.85 ? json : fuzzInput(random, () => pick(HOSTILE_STRINGS), () => json);
  };

  before(async () => {
    // The limit is exercised elsewhere (rate-limit.test.ts); here every request should reach the routes.
    lethe = await startLethe({ env: { LETHE_RATE_LIMIT_PER_MINUTE: '0' } });
    routes = (await serverRoutes()).filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
    params.workspace_id = (await call(lethe.url, 'POST', `/v1/workspaces?${V}`, { key: lethe.adminKey, body: bankingWorkspace })).body.workspace_id;
    params.assistant_id = (await call(lethe.url, 'POST', '/api/v1/assistants', { key: lethe.adminKey, body: { workspace_id: params.workspace_id } })).body.assistant_id;
    params.environment_id = params.assistant_id!;
    params.session_id = (await call(lethe.url, 'POST', `/v2/assistants/${params.assistant_id}/sessions?${V}`, { key: lethe.adminKey, body: {} })).body.session_id;
  });
  after(async () => {
    await lethe.stop();
    lethe.cleanup();
  });

  const storedCount = async () => (await storedLogTexts(lethe.url, lethe.adminKey, `/v1/workspaces/${params.workspace_id}/logs`)).length;
  const fuzzEvents = async () => (await call(lethe.url, 'GET', '/rest/ua/v15/users/fuzz-visitor/overview', { headers: { authorization: `Bearer ${lethe.adminKey}` } })).body.events.length;

  test('refused writes to the ingest routes store no record, not even part of one', async () => {
    const ingest = routes.filter((r) => r.method === 'POST' && (r.url.endsWith('/message') || /\/analytics\/|\/events\/v1$/.test(r.url)));
    assert.ok(ingest.length >= 15, `${ingest.length} ingest routes`);
    const [logsBefore, eventsBefore] = [await storedCount(), await fuzzEvents()];
    const syntaxBad = ['', '{', '}', '{"a":', '[', 'nul', 'undefined', '{"a":1,}', "{'a':1}", '{"a":1}{"b":2}', '{"__proto__":{"admin":true}}',
      deeplyNested(5000, 'array'), deeplyNested(5000, 'object'), `{"input":{"text":"x"},"deep":${deeplyNested(65, 'object')}}`,
      JSON.stringify({ input: { text: 'x' }, pad: 'y'.repeat(600 * 1024) })];
    const messageBad = [JSON.stringify({ input: { text: 'a'.repeat(2049) } }), JSON.stringify({ input: 'text' }), JSON.stringify({ input: { text: { nested: true } } }),
      JSON.stringify({ input: { text: 'x' }, context: '\u0000' })];
    for (const route of ingest) {
      const isMessage = route.url.endsWith('/message');
      const query = isMessage ? `?${V}` : '?visitor=fuzz-visitor';
      for (const body of [...syntaxBad, ...(isMessage ? messageBad : [])]) {
        const r = await send('POST', pathOf(route) + query, { rawBody: body, headers: { 'x-watson-metadata': 'customer_id=fuzz-customer' } });
        assert.ok(r.status >= 400, `${route.url} accepted ${body.slice(0, 80)}: ${r.status}`);
      }
      if (!isMessage) continue;
      for (const header of ['customer_id', 'customer_id=a=b', 'customer_id=', ';;', 'customer_id=a;customer_id==b']) {
        const r = await send('POST', pathOf(route) + query, { rawBody: JSON.stringify({ input: { text: 'balance' } }), headers: { 'x-watson-metadata': header } });
        assert.equal(r.status, 400, `${route.url} with X-Watson-Metadata ${header}`);
      }
    }
    assert.equal(await storedCount(), logsBefore, 'no log stored for a refused message');
    assert.equal(await fuzzEvents(), eventsBefore, 'no event stored for a refused event');
  });

  test('seeded fuzz of every JSON body and query parameter: never a 5xx, the server stays up', { timeout: 120_000 }, async () => {
    const until = Date.now() + 25_000;
    // Destructive routes last, so the fixtures the others need survive most of the run.
    const ordered = [...routes].sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    let rounds = 0;
    while (Date.now() < until) {
      rounds++;
      for (const route of ordered) {
        const query = new URLSearchParams();
        if (!route.url.startsWith('/rest/') && !route.url.startsWith('/api/') && random() < 0.8) query.set('version', '2021-06-14');
        for (let i = Math.floor(random() * 4); i > 0; i--) query.append(pick(QUERY_PARAMS), wellFormed(String(pick(HOSTILE_VALUES))));
        const hasBody = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';
        await send(route.method, `${pathOf(route)}?${query.toString()}`, hasBody ? { rawBody: hostileJson() } : {});
        if (Date.now() > until) break;
      }
    }
    assert.ok(rounds >= 1);
    assert.equal((await call(lethe.url, 'GET', '/healthz')).status, 200);
  });

  test('the filter language over HTTP: random and near-miss filters are 200 or 400', async () => {
    const ws = params.workspace_id;
    for (let i = 0; i < 400; i++) {
      const filter = fuzzInput(random, (n) => Array.from({ length: 1 + Math.floor(random() * n) }, () => pick([...FILTER_PIECES, ...HOSTILE_STRINGS.slice(0, 30)])).join(''),
        () => `customer_id::${pick(HOSTILE_STRINGS.slice(0, 30))}${random() < 0.5 ? `,language::en` : ''}`);
      for (const path of [`/v1/workspaces/${ws}/logs`, '/v1/logs']) {
        const r = await send('GET', `${path}?${V}&filter=${encodeURIComponent(wellFormed(filter))}`);
        assert.ok([200, 400, 404].includes(r.status), `${filter}: ${r.status}`);
      }
    }
    const deep = await send('GET', `/v1/workspaces/${ws}/logs?${V}&filter=${encodeURIComponent('('.repeat(2000) + 'language::en' + ')'.repeat(2000))}`);
    assert.equal(deep.status, 400);
    const exportFilter = await send('POST', `/rest/ua/v15/exports?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z&f=${encodeURIComponent('('.repeat(500) + 'a=="b"')}`);
    assert.equal(exportFilter.status, 400);
  });

  test('X-Watson-Metadata fuzz: 200 or 400, and a refused header stores nothing', async () => {
    const before = await storedCount();
    let accepted = 0;
    for (let i = 0; i < 300; i++) {
      const header = Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(METADATA_PIECES)).join('');
      const r = await send('POST', `/v1/workspaces/${params.workspace_id}/message?${V}`, { rawBody: JSON.stringify({ input: { text: 'balance' } }), headers: { 'x-watson-metadata': header } });
      assert.ok([0, 200, 400].includes(r.status), `${JSON.stringify(header)}: ${r.status}`);
      if (r.status === 200) accepted++;
    }
    assert.equal(await storedCount() - before, accepted, 'one log per accepted message, none for a refused one');
  });

  test('the server answered every request and is still healthy; it logged no request failure', async (t) => {
    t.diagnostic(`statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
    assert.equal((await call(lethe.url, 'GET', '/healthz')).status, 200);
    assert.doesNotMatch(lethe.output(), /request failed/);
    assert.ok(statuses.size > 2, JSON.stringify(Object.fromEntries(statuses)));
  });
});
