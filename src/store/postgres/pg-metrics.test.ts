import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newId } from '../../model/ids.js';
import { DEFAULT_METRIC_RULES } from '../../model/metric-rules.js';
import type { LogRecord } from '../../model/logs.js';
import { createTestDatabase, describePostgres, type TestDatabase } from '../../../test/helpers/postgres-database.js';
import { createPgLogAggregates } from './pg-log-aggregates.js';
import { backfillPgLogAggregates } from './pg-metric-backfill.js';
import { openPostgresStore, type PostgresStore } from './postgres-store.js';

const DAY = 86_400_000;
const opts = { firstCoveredBucket: 20, topIntents: 10 };

/** What only PostgreSQL adds to the metrics: several writers, whole-month retention drops, and the backfill. */
describePostgres('PostgreSQL metric aggregates', () => {
  let database: TestDatabase;
  let stores: PostgresStore[];

  const log = (instanceId: string, i: number, conversation: string, user: string, ts: number, patch: Partial<LogRecord> = {}): LogRecord => ({
    logId: newId(), instanceId, api: 'v2', assistantId: 'asst', environmentId: null, workspaceId: null, sessionId: null,
    conversationId: conversation, userId: user, customerIds: [`c-${user}`], deployment: null, language: 'en', snapshot: null, topIntent: i % 4 ? 'a' : null,
    topConfidence: i % 4 ? 0.5 : null, entitiesCount: 0, inputText: `t${i}`, learningOptOut: false, requestTs: ts + i, responseTs: ts + i + 1, request: {},
    response: { output: { generic: [{ response_type: i % 5 === 4 ? 'connect_to_agent' : 'text' }] } }, ...patch,
  });
  const dayOf = (ms: number) => Math.floor(ms / DAY);

  before(async () => {
    database = await createTestDatabase('metrics_pg');
    stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(database.url)));
  });
  after(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await database.drop();
  });

  test('stores ingesting messages of the same conversations at once keep every count exact', async () => {
    const ts = Date.parse('2024-03-03T10:00:00Z');
    // Every store writes batches touching the same five conversations at the same time, at times and users of their
    // own (shared keys or user-days would make the batches wait for each other, hiding any race on conversations).
    await Promise.all(stores.map((store, s) => Promise.all(Array.from({ length: 5 }, (_, b) =>
      store.ingest(Array.from({ length: 20 }, (_, i) => ({ log: log('busy', i, `conv-${i % 5}`, `u${s}-${b}`, ts + s * 60_000 + b * 1000) })))))));
    const { totals } = await stores[0]!.metrics.totals({ instanceId: 'busy', fromDay: dayOf(ts) - 1, toDay: dayOf(ts) + 1 }, opts);
    assert.equal(totals.messages, 300);
    assert.equal(totals.conversations, 5, 'each conversation counted once, however many writers added to it');
    assert.equal(totals.users, 15);
    const { rows } = await stores[0]!.pool.query<{ messages: string }>("SELECT messages FROM metric_conversations WHERE instance_id = 'busy'");
    assert.deepEqual(rows.map((r) => Number(r.messages)), [60, 60, 60, 60, 60], 'no conversation lost another writer\'s messages');
  });

  test('retention takes the aggregates of what it removes with it, month dropped whole or rows deleted', async () => {
    const jan = Date.parse('2018-01-10T00:00:00Z');
    const feb = Date.parse('2018-02-10T00:00:00Z');
    await stores[0]!.ingest([
      ...[0, 1, 2].map((i) => ({ log: log('kept', i, 'old-conv', 'olduser', jan) })),
      { log: log('kept', 5, 'feb-conv', 'febuser', feb) }, { log: log('neighbour', 6, 'n-conv', 'nuser', feb) },
      { log: log('kept', 7, 'new-conv', 'newuser', Date.parse('2018-03-20T00:00:00Z')) },
    ]);
    const [janLog] = (await stores[0]!.logs.page({ instanceId: 'kept', filter: null, scope: {}, descending: false, limit: 1, after: null })).logs;
    assert.ok(await stores[0]!.annotations.put('kept', janLog!.logId, { verdict: 'incorrect', rootCause: 'other', correctedIntent: null, note: null, author: 'k', at: 1 }));
    const whole = { instanceId: 'kept', fromDay: dayOf(jan) - 40, toDay: dayOf(jan) + 90 };
    assert.equal((await stores[0]!.metrics.totals(whole, opts)).totals.messages, 5);

    const cutoff = Date.parse('2018-03-01T00:00:00Z');
    let removed = 0;
    for (let done = false; !done;) {
      const r = await stores[1]!.logs.deleteBefore('kept', cutoff, 2);
      removed += r.logs;
      done = r.done;
    }
    assert.equal(removed, 4);
    const after = await stores[0]!.metrics.totals(whole, opts);
    assert.deepEqual([after.totals.messages, after.totals.conversations, after.totals.users], [1, 1, 1]);
    const { rows: users } = await stores[0]!.pool.query<{ user_id: string }>("SELECT user_id FROM metric_users WHERE instance_id = 'kept'");
    assert.deepEqual(users.map((u) => u.user_id), ['newuser'], 'no per-user row outlives its logs');
    assert.deepEqual(await stores[0]!.annotations.forLogs('kept', [janLog!.logId]), [], 'a review goes with its log');
    assert.equal((await stores[0]!.metrics.totals({ ...whole, instanceId: 'neighbour' }, opts)).totals.messages, 1);
  });

  test('logs stored before the aggregates existed are counted once when the database is opened', async () => {
    const ts = Date.parse('2017-06-01T00:00:00Z');
    // Two stores, same times: both instances' logs get the same keys (keys are unique only within an instance).
    await Promise.all(['old-a', 'old-b'].map((instanceId, s) =>
      stores[s]!.ingest(Array.from({ length: 5 }, (_, i) => ({ log: log(instanceId, i, `c${i % 3}`, `u${i % 2}`, ts + (i % 3) * DAY) })))));
    const scope = (instanceId: string) => ({ instanceId, fromDay: dayOf(ts) - 1, toDay: dayOf(ts) + 5 });
    const expected = [await stores[0]!.metrics.totals(scope('old-a'), opts), await stores[0]!.metrics.totals(scope('old-b'), opts)];
    assert.equal(expected[0]!.totals.messages + expected[1]!.totals.messages, 10);
    const { rows: [shared] } = await stores[0]!.pool.query<{ n: string }>("SELECT count(*) AS n FROM logs a JOIN logs b ON a.seq = b.seq WHERE a.instance_id = 'old-a' AND b.instance_id = 'old-b'");
    assert.ok(Number(shared?.n) > 0, 'some keys are shared across the instances');

    // The state migration 6 finds in a database written by an earlier version, for these two instances.
    const pool = stores[0]!.pool;
    for (const t of ['metric_days', 'metric_coverage', 'metric_intents', 'metric_user_days', 'metric_users', 'metric_conversations']) {
      await pool.query(`DELETE FROM ${t} WHERE instance_id LIKE 'old-%'`);
    }
    await pool.query("UPDATE logs SET metric_flags = 0 WHERE instance_id LIKE 'old-%'");
    await pool.query("INSERT INTO metric_backfill SELECT min(seq) - 1, '', max(seq) FROM logs WHERE instance_id LIKE 'old-%'");
    // Two processes at once, in chunks smaller than the logs sharing one key across instances.
    const aggregates = createPgLogAggregates();
    await Promise.all([backfillPgLogAggregates(pool, aggregates, DEFAULT_METRIC_RULES, 2), backfillPgLogAggregates(stores[1]!.pool, aggregates, DEFAULT_METRIC_RULES, 2)]);
    assert.equal((await pool.query('SELECT 1 FROM metric_backfill')).rowCount, 0, 'the backfill is recorded as done');
    assert.deepEqual([await stores[2]!.metrics.totals(scope('old-a'), opts), await stores[2]!.metrics.totals(scope('old-b'), opts)], expected);
  });
});
