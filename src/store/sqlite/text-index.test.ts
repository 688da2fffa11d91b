import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { newId } from '../../model/ids.js';
import { parseFilter } from '../../filter/watson-logs/index.js';
import type { LogRecord } from '../../model/logs.js';
import type { Store } from '../store.js';
import { openSqlite } from './open-database.js';
import { openSqliteStore } from './sqlite-store.js';
import { listTextPartitions, partitionOf } from './text-index.js';

const dir = mkdtempSync(join(tmpdir(), 'lethe-text-index-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `t${++n}.db`);

const log = (at: string, text: string, customer = 'c'): LogRecord => ({
  logId: newId(), instanceId: 'i', api: 'v1', assistantId: null, environmentId: null, workspaceId: 'w', sessionId: null,
  conversationId: newId(), userId: 'u', customerIds: [customer], deployment: null, language: 'en', snapshot: null, topIntent: 'x',
  topConfidence: 0.9, entitiesCount: 0, inputText: text, learningOptOut: false, requestTs: Date.parse(at), responseTs: Date.parse(at) + 1,
  request: { input: { text } }, response: { output: { text: [`answer about ${text}`] } },
});

/** Spread over three months, so a search crosses monthly tables. */
const SPREAD = [
  log('2026-01-30T12:00:00Z', 'refund please'), log('2026-01-31T23:59:59Z', 'refund my card'),
  log('2026-02-01T00:00:01Z', 'card refund now'), log('2026-02-14T10:00:00Z', 'unrelated words'),
  log('2026-03-02T08:00:00Z', 'refund again'),
];

const texts = async (store: Store, filter: string, descending = false, limit = 100) => {
  const texts: string[] = [];
  let after: { seq: number } | null = null;
  do {
    const page = await store.logs.page({ instanceId: 'i', filter: parseFilter(filter, 'v1'), scope: {}, descending, limit, after });
    texts.push(...page.logs.map((l) => l.inputText));
    after = page.next;
  } while (after);
  return texts;
};

const segments = (db: Database.Database, table: string) => (db.prepare(`SELECT count(DISTINCT segid) AS n FROM ${table}_idx`).get() as { n: number }).n;

test('each log is indexed in its month\'s table; a search pages and counts across months in both directions', async () => {
  const path = freshPath();
  const store = openSqliteStore(`sqlite:${path}`, { synchronous: 'NORMAL' });
  await store.ingest(SPREAD.map((l) => ({ log: l })));
  const raw = new Database(path, { readonly: true });
  assert.deepEqual(listTextPartitions(raw).map((p) => p.name), ['log_text_202601', 'log_text_202602', 'log_text_202603']);
  raw.close();

  const ascending = ['refund please', 'refund my card', 'card refund now', 'refund again'];
  assert.deepEqual(await texts(store, 'request.input.text:refund'), ascending);
  assert.deepEqual(await texts(store, 'request.input.text:refund', false, 1), ascending, 'page by page, across month boundaries');
  assert.deepEqual(await texts(store, 'request.input.text:refund', true, 3), [...ascending].reverse());
  assert.deepEqual(await texts(store, 'request.input.text:card,customer_id::c'), ['refund my card', 'card refund now'], 'probed per row, through the subject index');
  assert.deepEqual(await texts(store, 'response.output.text:again'), ['refund again']);
  assert.equal(await store.logs.count({ instanceId: 'i', filter: parseFilter('request.input.text:refund', 'v1'), scope: {} }), 4);
  await store.close();
});

test('a month whose first batch rolled back is created again by the next one', async () => {
  const store = openSqliteStore(`sqlite:${freshPath()}`, { synchronous: 'NORMAL' });
  try {
    const first = log('2026-05-02T00:00:00Z', 'may refund');
    // The same log ID twice: the batch fails as a whole, the month's table with it.
    await assert.rejects(store.ingest([{ log: first }, { log: { ...log('2026-05-03T00:00:00Z', 'may again'), logId: first.logId } }]));
    await store.ingest([{ log: log('2026-05-04T00:00:00Z', 'may refund later') }]);
    assert.deepEqual(await texts(store, 'request.input.text:refund'), ['may refund later']);
  } finally {
    await store.close();
  }
});

test('a deleted log leaves its month\'s table', async () => {
  const path = freshPath();
  const store = openSqliteStore(`sqlite:${path}`, { synchronous: 'NORMAL' });
  await store.ingest([...SPREAD.map((l) => ({ log: l })), { log: log('2026-02-03T00:00:00Z', 'refund for dora', 'dora') }]);
  const raw = new Database(path);
  const matches = () => (raw.prepare(`SELECT count(*) AS n FROM log_text_202602 WHERE log_text_202602 MATCH 'dora'`).get() as { n: number }).n;
  assert.equal(matches(), 1);
  await store.jobs.insert({
    jobId: 'j', instanceId: 'i', subjectKind: 'customer_id', subjectValue: 'dora', subjectHash: 'h', cutoffTs: Date.now(), status: 'queued', attempts: 0,
    createdAt: 0, startedAt: null, finishedAt: null, verifiedAt: null, verification: null, deletedLogs: 0, deletedSessions: 0, deletedEvents: 0, error: null, requestedBy: null,
  });
  await store.jobs.claim('me', Date.now(), 60_000);
  const r = await store.logs.deleteSubjectChunk({ jobId: 'j', owner: 'me' }, 'i', { kind: 'customer_id', value: 'dora' }, Date.now(), 100);
  assert.equal(r.logs, 1);
  assert.equal(matches(), 0);
  assert.deepEqual(await texts(store, 'request.input.text:refund'), ['refund please', 'refund my card', 'card refund now', 'refund again']);
  raw.close();
  await store.close();
});

test('ended months are merged into one segment step by step; the current month is left alone; a back-dated message reopens its month', async () => {
  const path = freshPath();
  const store = openSqliteStore(`sqlite:${path}`, { synchronous: 'NORMAL' });
  // One transaction per message: each leaves a segment of its own.
  for (let i = 0; i < 12; i++) await store.ingest([{ log: log(`2026-01-${String(10 + i).padStart(2, '0')}T12:00:00Z`, `january word${i}`) }]);
  for (let i = 0; i < 6; i++) await store.ingest([{ log: log(new Date().toISOString(), `today word${i}`) }]);
  const raw = new Database(path);
  const current = partitionOf(Date.now() * 1024).name;
  assert.ok(segments(raw, 'log_text_202601') > 1);
  const currentSegments = segments(raw, current);

  let steps = 0;
  while (await store.logs.compactIndexStep(Date.now())) steps++;
  assert.ok(steps >= 1);
  assert.equal(segments(raw, 'log_text_202601'), 1);
  assert.equal(segments(raw, current), currentSegments, 'a month still being written is not merged');
  assert.equal(await store.logs.compactIndexStep(Date.now()), false, 'nothing left to do');
  assert.equal((await texts(store, 'request.input.text:january')).length, 12, 'the merged month still answers');

  await store.ingest([{ log: log('2026-01-31T12:00:00Z', 'january late arrival') }]);
  assert.equal(segments(raw, 'log_text_202601'), 2);
  while (await store.logs.compactIndexStep(Date.now())) { /* merge again */ }
  assert.equal(segments(raw, 'log_text_202601'), 1);
  raw.close();
  await store.close();
});

test('migration 9 indexes the logs of a single-index database month by month and drops the old index', async () => {
  const path = freshPath();
  const store = openSqliteStore(`sqlite:${path}`, { synchronous: 'NORMAL' });
  await store.ingest(SPREAD.map((l) => ({ log: l })));
  await store.close();
  // The state a database written by version 8 is in: one index of every log, no monthly tables.
  const raw = openSqlite(`sqlite:${path}`, { synchronous: 'NORMAL' });
  for (const p of listTextPartitions(raw)) raw.exec(`DROP TABLE ${p.name}`);
  raw.exec(`DROP TABLE log_text_partitions; DELETE FROM schema_migrations WHERE version = 9;
    CREATE VIRTUAL TABLE logs_fts USING fts5(input_text, output_text, content = '', tokenize = 'porter unicode61 remove_diacritics 2');
    INSERT INTO logs_fts (rowid, input_text, output_text)
      SELECT seq, lethe_indexed_words(input_text), lethe_indexed_words(lethe_output_text(api, response)) FROM logs;`);
  raw.close();

  const migrated = openSqliteStore(`sqlite:${path}`, { synchronous: 'NORMAL' });
  assert.deepEqual(await texts(migrated, 'request.input.text:refund'), ['refund please', 'refund my card', 'card refund now', 'refund again']);
  await migrated.close();
  const check = new Database(path, { readonly: true });
  assert.deepEqual(listTextPartitions(check).map((p) => p.name), ['log_text_202601', 'log_text_202602', 'log_text_202603']);
  assert.equal(check.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'logs_fts'`).get(), undefined);
  check.close();
});
