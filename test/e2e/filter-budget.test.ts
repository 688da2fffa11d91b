import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { editDistance } from '../../src/filter/watson-logs/edit-distance.js';
import { call, type Reply } from '../helpers/http.js';
import { startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { describeEachEngine, freshDatabase, type FreshDatabase } from '../helpers/test-engines.js';
import { createTarget, type TrafficTarget } from '../helpers/traffic.js';

const V = 'version=2021-06-14';
/** Enough logs, with enough words, that the heaviest filter below keeps a read busy far longer than /healthz takes. */
const LOGS = 800;

/** A stored log as the brute-force expectation sees it. */
interface Row { logId: string; api: string; conversationId: string; text: string }

/** Reference glob: the textbook O(text × pattern) table, ASCII case folded (the seeded values are ASCII). */
function globMatches(segments: string[], value: string): boolean {
  const p = segments.map((s) => s.toLowerCase()).join('\u0001');
  const t = value.toLowerCase();
  let row = Array.from({ length: t.length + 1 }, (_, j) => j === 0);
  for (const c of p) {
    const next = new Array<boolean>(t.length + 1).fill(false);
    next[0] = c === '\u0001' && row[0]!;
    for (let j = 1; j <= t.length; j++) next[j] = c === '\u0001' ? row[j]! || next[j - 1]! : row[j - 1]! && t[j - 1] === c;
    row = next;
  }
  return row[t.length]!;
}
const wordsOf = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];

/** 140 approximate terms (the most a filter's 4,096 characters hold), tried on every word of every log. */
function heavyFuzzyFilter(): { filter: string; expected: (r: Row) => boolean } {
  const random = seededRandom(140);
  const terms = Array.from({ length: 140 }, (_, i) => (i < 10
    ? ['bananaz', 'cherri', 'appel', 'melonn', 'grappe', 'kiwwi', 'lemmon', 'manggo', 'papayya', 'quincce'][i]!
    : Array.from({ length: 6 }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)]).join('')));
  return {
    filter: terms.map((w) => `request.input.text:${w}~2`).join('|'),
    expected: (r) => wordsOf(r.text).some((w) => terms.some((t) => editDistance(w, t) <= 2)),
  };
}

/**
 * Filters that froze the server while a backtracking regular expression matched wildcards, and approximate terms on
 * long values, each with the logs it must return, judged row by row on what was stored.
 */
function pathologicalFilters(): { filter: string; expected: (r: Row) => boolean }[] {
  const stars = (n: number, last: string) => [...Array<string>(n).fill(''), last];
  return [
    { filter: `conversation_id::${'*'.repeat(9)}z`, expected: (r) => globMatches(stars(9, 'z'), r.conversationId) },
    { filter: `conversation_id::${'*'.repeat(30)}z`, expected: (r) => globMatches(stars(30, 'z'), r.conversationId) },
    { filter: `conversation_id::${'*a'.repeat(30)}*b`, expected: (r) => globMatches(['', ...Array<string>(30).fill('a'), 'b'], r.conversationId) },
    { filter: `request.input.text:${'*'.repeat(30)}x`, expected: (r) => wordsOf(r.text).some((w) => globMatches(stars(30, 'x'), w)) },
    { filter: `conversation_id::3-${'a'.repeat(223)}zz~2`, expected: (r) => editDistance(r.conversationId.toLowerCase(), `3-${'a'.repeat(223)}zz`) <= 2 },
    heavyFuzzyFilter(),
  ];
}

describeEachEngine('pathological filters on every logs route and the export', (engine) => {
  let database: FreshDatabase;
  let lethe: LetheProcess;
  let target: TrafficTarget;
  const rows: Row[] = [];
  const random = seededRandom(15);

  before(async () => {
    database = await freshDatabase(engine, 'filter-budget');
    lethe = await startLethe({ databaseUrl: database.url, env: { LETHE_RATE_LIMIT_PER_MINUTE: '0' } });
    target = await createTarget(lethe.url, lethe.adminKey);
    const vocabulary = ['banana', 'cherry', 'apple', 'melon', 'grape', 'kiwi', 'lemon', 'mango', 'papaya', 'quince', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'xerox'];
    const sends: Promise<Reply>[] = [];
    for (let i = 0; i < LOGS; i++) {
      // Long conversation IDs of a's (what a backtracking matcher chokes on), ending in z or b or neither.
      const conversationId = `${i}-${'a'.repeat(200 + (i % 40))}${['z', 'b', 'c', 'zz'][i % 4]}`;
      const text = Array.from({ length: 40 + (i % 40) }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(' ');
      const v1 = i % 2 === 1;
      const path = v1 ? `/v1/workspaces/${target.workspaceId}/message` : `/v2/assistants/${target.assistantId}/message`;
      const body = v1 ? { input: { text }, context: { conversation_id: conversationId } } : { input: { text } };
      sends.push(call(lethe.url, 'POST', `${path}?${V}`, { key: lethe.adminKey, body }));
      if (sends.length === 20) for (const r of await Promise.all(sends.splice(0))) assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    for (const r of await Promise.all(sends)) assert.equal(r.status, 200);
    let cursor: string | undefined;
    do {
      const r = await call(lethe.url, 'GET', `/api/v1/logs?page_limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key: lethe.adminKey });
      assert.equal(r.status, 200);
      for (const l of r.body.logs) rows.push({ logId: l.log_id, api: l.api, conversationId: l.conversation_id ?? '', text: l.input_text ?? '' });
      cursor = r.body.next_cursor ?? undefined;
    } while (cursor);
    assert.equal(rows.length, LOGS);
  });
  after(async () => {
    await lethe?.stop();
    lethe?.cleanup();
    await database?.drop();
  });

  /** Every logs route and the export, each with the rows it covers (the assistant answers with the workspace). */
  const routes = () => [
    { name: 'GET /v1/workspaces/{id}/logs', covers: () => true, url: (f: string) => `/v1/workspaces/${target.workspaceId}/logs?${V}&page_limit=1000&filter=${encodeURIComponent(f)}` },
    { name: 'GET /v1/logs', covers: () => true, url: (f: string) => `/v1/logs?${V}&page_limit=1000&filter=${encodeURIComponent(`language::en,workspace_id::${target.workspaceId},(${f})`)}` },
    { name: 'GET /v2/assistants/{id}/logs', covers: (r: Row) => r.api === 'v2', url: (f: string) => `/v2/assistants/${target.assistantId}/logs?${V}&page_limit=1000&filter=${encodeURIComponent(f)}` },
    { name: 'GET /api/v1/logs', covers: () => true, url: (f: string) => `/api/v1/logs?page_limit=1000&filter=${encodeURIComponent(f)}` },
    { name: 'GET /api/v1/logs/export', covers: () => true, url: (f: string) => `/api/v1/logs/export?format=jsonl&filter=${encodeURIComponent(f)}` },
  ];
  // The export is JSON Lines (an empty file when nothing matches); the others answer JSON with a `logs` list.
  const logIds = (r: Reply): string[] => (r.body === undefined || typeof r.body === 'string'
    ? String(r.body ?? '').split('\n').filter(Boolean).map((line) => JSON.parse(line).log_id as string)
    : (r.body.logs as { log_id: string }[]).map((l) => l.log_id));

  test('every route answers each one exactly as a brute-force reading of the stored rows', { timeout: 300_000 }, async () => {
    for (const { filter, expected } of pathologicalFilters()) {
      for (const route of routes()) {
        const r = await call(lethe.url, 'GET', route.url(filter), { key: lethe.adminKey });
        assert.equal(r.status, 200, `${route.name} ${filter.slice(0, 80)}: ${String(JSON.stringify(r.body)).slice(0, 300)}`);
        const want = rows.filter((row) => route.covers(row) && expected(row)).map((row) => row.logId).sort();
        assert.deepEqual(logIds(r).sort(), want, `${route.name} ${filter.slice(0, 80)}`);
      }
    }
    // The filters are not vacuous: each matches some of the rows.
    for (const { filter, expected } of pathologicalFilters()) assert.ok(rows.some(expected), filter.slice(0, 60));
  });

  test('/healthz answers while the heaviest filter runs, before it does', { timeout: 120_000 }, async () => {
    const { filter } = heavyFuzzyFilter();
    for (const route of routes()) {
      const order: string[] = [];
      const read = call(lethe.url, 'GET', route.url(filter), { key: lethe.adminKey }).then((r) => order.push(`read ${r.status}`));
      // Sent after the read: answered first unless the read holds the server's event loop.
      const health = call(lethe.url, 'GET', '/healthz').then((r) => order.push(`healthz ${r.status}`));
      await Promise.all([read, health]);
      assert.deepEqual(order, ['healthz 200', 'read 200'], route.name);
    }
  });

  test('a read past a tiny budget is a 503 in each API\'s own error format, and the server goes on', { timeout: 120_000 }, async () => {
    // The same database, served with a budget of 1 ms: the heavy filter (ten approximate terms on every word of
    // every log) takes far longer on either engine.
    await lethe.stop();
    lethe = await startLethe({ databaseUrl: database.url, env: { LETHE_RATE_LIMIT_PER_MINUTE: '0', LETHE_QUERY_TIMEOUT_MS: '1' } });
    const heavy = heavyFuzzyFilter().filter;
    for (const route of routes()) {
      const r = await call(lethe.url, 'GET', route.url(heavy), { key: lethe.adminKey });
      assert.equal(r.status, 503, `${route.name}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
      if (route.name.startsWith('GET /api')) {
        assert.equal(r.body.error.code, 'query_timeout', route.name);
        assert.match(r.body.error.message, /stopped after 1 ms/);
      } else {
        assert.equal(r.body.code, 503, route.name);
        assert.match(r.body.error, /stopped after 1 ms.*narrow it/);
      }
    }
    assert.equal((await call(lethe.url, 'GET', '/healthz')).status, 200);
    const message = await call(lethe.url, 'POST', `/v1/workspaces/${target.workspaceId}/message?${V}`, { key: lethe.adminKey, body: { input: { text: 'still here' } } });
    assert.equal(message.status, 200, 'messages are not reads: no budget stops them');
    assert.doesNotMatch(lethe.output(), /request failed/, 'a stopped read is not logged as a server failure');
  });
});
