import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newId } from '../../model/ids.js';
import { parseFilter } from '../../filter/watson-logs/index.js';
import type { DeletionJobRecord } from '../../model/deletion-jobs.js';
import type { LogRecord } from '../../model/logs.js';
import { createTestDatabase, describePostgres, type TestDatabase } from '../../../test/helpers/postgres-database.js';
import { PG_MIGRATIONS } from './migrations.js';
import { dropPartitionsBefore } from './partitions.js';
import { openPostgresStore, type PostgresStore } from './postgres-store.js';

/** What only the PostgreSQL engine promises: several processes on one database, and retention by partition. */
describePostgres('PostgreSQL engine: several stores on one database', () => {
  let database: TestDatabase;
  let stores: PostgresStore[];

  const log = (instanceId: string, customerId: string, requestTs: number): LogRecord => ({
    logId: newId(), instanceId, api: 'v1', assistantId: null, environmentId: null, workspaceId: 'w', sessionId: null,
    conversationId: null, userId: null, customerIds: [customerId], deployment: null, language: 'en', snapshot: null, topIntent: null,
    topConfidence: null, entitiesCount: 0, inputText: `hello ${customerId}`, learningOptOut: false, requestTs, responseTs: requestTs,
    request: {}, response: {},
  });
  const job = (instanceId: string, customerId: string): DeletionJobRecord => ({
    jobId: newId(), instanceId, subjectKind: 'customer_id', subjectValue: customerId, subjectHash: `h-${customerId}`, cutoffTs: Date.now() + 1000,
    status: 'queued', attempts: 0, createdAt: Date.now(), startedAt: null, finishedAt: null, verifiedAt: null, verification: null, deletedLogs: 0,
    deletedSessions: 0, deletedEvents: 0, error: null, requestedBy: null,
  });
  const allLogs = async (store: PostgresStore, instanceId: string) =>
    (await store.logs.page({ instanceId, filter: null, scope: {}, descending: false, limit: 100_000, after: null })).logs;

  before(async () => {
    database = await createTestDatabase('engine');
    // Three processes starting at once: migrations run one at a time under the advisory lock.
    stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(database.url)));
  });
  after(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await database.drop();
  });

  test('concurrent migrations applied each version once', async () => {
    const { rows } = await stores[0]!.pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    assert.deepEqual(rows.map((r) => r.version), PG_MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
  });

  test('stores ingesting the same milliseconds at once keep every message, each under a key of its own', async () => {
    const ms = Date.parse('2025-05-05T05:05:05Z');
    // Every store starts its keys for these milliseconds at the same value, so their first choices collide.
    await Promise.all(stores.map((store, s) => Promise.all(Array.from({ length: 4 }, (_, b) =>
      store.ingest(Array.from({ length: 300 }, (_, i) => ({ log: log('same-ms', `c${s}-${b}-${i % 7}`, ms + (i % 3)) })))))));
    const logs = await allLogs(stores[0]!, 'same-ms');
    assert.equal(logs.length, 3 * 4 * 300);
    assert.equal(new Set(logs.map((l) => l.seq)).size, logs.length, 'keys are unique');
    assert.ok(logs.every((l, i) => i === 0 || l.seq > logs[i - 1]!.seq), 'pages are in key order');
    assert.ok(logs.every((l) => l.requestTs >= ms && l.requestTs < ms + 10), 'overflowing keys move to the next milliseconds only');
    assert.equal((await stores[1]!.subjects.holdings('same-ms', { logs: [{ kind: 'customer_id', value: 'c2-3-6' }], events: [] }, ms + 1000)).logs, 42);
  });

  test('claims with SKIP LOCKED hand every job to exactly one store', async () => {
    const jobs = Array.from({ length: 12 }, (_, i) => job('claims', `x${i}`));
    for (const j of jobs) await stores[0]!.jobs.insert(j);
    const claimed: string[] = [];
    await Promise.all(stores.map(async (store, s) => {
      for (;;) {
        const got = await store.jobs.claim(`owner-${s}`, Date.now(), 60_000);
        if (!got) return;
        claimed.push(got.jobId);
      }
    }));
    assert.deepEqual([...claimed].sort(), jobs.map((j) => j.jobId).sort());
  });

  test('two workers racing on one job: only the lease holder deletes and counts', async () => {
    const ts = Date.parse('2025-06-01T00:00:00Z');
    await stores[0]!.ingest(Array.from({ length: 50 }, (_, i) => ({ log: log('race', 'zed', ts + i) })));
    const j = job('race', 'zed');
    await stores[0]!.jobs.insert(j);
    const holder = await stores[1]!.jobs.claim('holder', Date.now(), 60_000);
    assert.equal(holder?.jobId, j.jobId);
    const subject = { kind: 'customer_id' as const, value: 'zed' };
    const results = await Promise.allSettled([
      stores[1]!.logs.deleteSubjectChunk({ jobId: j.jobId, owner: 'holder' }, 'race', subject, j.cutoffTs, 100),
      stores[2]!.logs.deleteSubjectChunk({ jobId: j.jobId, owner: 'stale' }, 'race', subject, j.cutoffTs, 100),
    ]);
    assert.equal(results[0].status, 'fulfilled');
    assert.equal(results[1].status, 'rejected');
    assert.equal((await stores[0]!.jobs.get(j.jobId))?.deletedLogs, 50);
    assert.equal((await stores[0]!.subjects.holdings('race', { logs: [subject], events: [] }, j.cutoffTs)).logs, 0);

    // Residue erasure vacuums the month the deletion touched, and leaves the others alone.
    await stores[1]!.logs.eraseResidue();
    const vacuumed = async (table: string) => (await stores[0]!.pool.query<{ n_dead_tup: number; last_vacuum: Date | null }>(
      'SELECT n_dead_tup, last_vacuum FROM pg_stat_user_tables WHERE relname = $1', [table])).rows[0];
    for (const table of ['logs_y2025m06', 'log_subjects_y2025m06']) {
      assert.notEqual((await vacuumed(table))?.last_vacuum, null, `${table} was vacuumed`);
      assert.equal((await vacuumed(table))?.n_dead_tup, 0, `${table} keeps no dead tuples`);
    }
    assert.equal((await vacuumed('logs_y2025m05'))?.last_vacuum, null, 'an untouched month is not vacuumed');
  });

  test('a NUL, which PostgreSQL text cannot hold, is stored and searched for as U+FFFD', async () => {
    const ts = Date.parse('2025-07-01T00:00:00Z');
    const text = 'nul\u0000inside';
    await stores[0]!.ingest([{ log: { ...log('nul', 'a\u0000b', ts), inputText: text, request: { input: { text } },
      response: { intents: [{ intent: 'x\u0000y', confidence: 1 }] } } }]);
    const page = async (filter: string) => (await stores[0]!.logs.page({ instanceId: 'nul', filter: parseFilter(filter, 'v1'), scope: {},
      descending: false, limit: 10, after: null })).logs;
    const [stored] = await page('response.intents:intent::"x\u0000y"');
    assert.equal(stored?.inputText, 'nul\uFFFDinside');
    assert.equal((await page('customer_id::"a\u0000b"')).length, 1);
    assert.equal((await stores[0]!.subjects.holdings('nul', { logs: [{ kind: 'customer_id', value: 'a\u0000b' }], events: [] }, ts + 1)).logs, 1);
  });

  test('a NUL in any other text a repository stores is stored as U+FFFD too, not refused; JSON keeps it escaped', async () => {
    const workspace = {
      instanceId: 'nul', workspaceId: newId(), name: 'bank\u0000bot', description: 'd\u0000', language: 'en', learningOptOut: false,
      content: { intents: [{ intent: 'greet', examples: [{ text: 'hi\u0000there' }] }] }, createdAt: 1, updatedAt: 1,
    };
    await stores[0]!.workspaces.insert(workspace);
    const stored = await stores[1]!.workspaces.get('nul', workspace.workspaceId);
    assert.deepEqual([stored?.name, stored?.description, stored?.content], ['bank\uFFFDbot', 'd\uFFFD', workspace.content]);
  });

  test('retention drops whole months of logs, events and their subject entries', async () => {
    const march = Date.parse('2021-03-10T00:00:00Z');
    const april = Date.parse('2021-04-10T00:00:00Z');
    await stores[0]!.ingest([{ log: log('retention', 'old', march) }, { log: log('retention', 'new', april) }]);
    await stores[1]!.ingest([{ event: {
      eventId: newId(), instanceId: 'retention', type: 'search', userId: 'old', visitorId: null, visitId: null, anonymous: false, searchUid: null,
      originLevel1: null, language: null, ipHash: null, receivedTs: march, batchId: null, payload: {},
    } }]);
    const dropped = await dropPartitionsBefore(stores[0]!.pool, Date.parse('2021-04-15T00:00:00Z'), stores[0]!.partitions);
    assert.ok(dropped.includes(Date.parse('2021-03-01T00:00:00Z')), 'March is dropped');
    assert.ok(!dropped.includes(Date.parse('2021-04-01T00:00:00Z')), 'April straddles the cutoff and stays');
    assert.deepEqual((await allLogs(stores[0]!, 'retention')).map((l) => l.customerIds[0]), ['new']);
    assert.deepEqual(await stores[0]!.subjects.holdings('retention',
      { logs: [{ kind: 'customer_id', value: 'old' }], events: [{ kind: 'user_id', value: 'old' }] }, april), { logs: 0, events: 0, exports: 0 });
    // A late arrival for a dropped month recreates its partitions, also in a process that still knew the month.
    await stores[1]!.ingest([{ log: log('retention', 'late', march) }]);
    assert.deepEqual((await allLogs(stores[0]!, 'retention')).map((l) => l.customerIds[0]), ['late', 'new']);
  });
  test('retention deleteBefore drops a month only this instance has, and deletes by key where instances share one', async () => {
    const jan = Date.parse('2019-01-10T00:00:00Z');
    const feb = Date.parse('2019-02-10T00:00:00Z');
    const partitionExists = async (name: string) => (await stores[0]!.pool.query('SELECT to_regclass($1) AS oid', [name])).rows[0]?.oid !== null;
    await stores[0]!.sessions.insert({ instanceId: 'solo', sessionId: 'jan-session', assistantId: 'a', environmentId: 'a', context: {}, createdAt: jan, lastActiveAt: jan, expiresAt: Date.now() + 60_000 });
    await stores[0]!.ingest([
      ...[1, 2, 3].map((i) => ({ log: { ...log('solo', `jan${i}`, jan + i), sessionId: 'jan-session' } })),
      { log: log('solo', 'feb1', feb) }, { log: log('solo', 'feb2', feb + 1) }, { log: log('neighbour', 'feb3', feb + 2) },
      { event: { eventId: newId(), instanceId: 'solo', type: 'search', userId: 'jan-event', visitorId: null, visitId: null, anonymous: false,
        searchUid: null, originLevel1: null, language: null, ipHash: null, receivedTs: jan, batchId: null, payload: {} } },
    ]);
    const cutoff = Date.parse('2019-03-01T00:00:00Z');
    // January is dropped whole (all three logs, though the chunk is 1); February is shared, so one row goes by key.
    assert.deepEqual(await stores[1]!.logs.deleteBefore('solo', cutoff, 1), { logs: 4, sessions: 1, done: false });
    assert.equal(await partitionExists('logs_y2019m01'), false);
    assert.equal(await partitionExists('log_subjects_y2019m01'), false);
    assert.equal(await partitionExists('events_y2019m01'), true, 'events keep their own retention');
    assert.equal(await stores[0]!.sessions.get('solo', 'jan-session'), undefined);
    assert.deepEqual(await stores[2]!.logs.deleteBefore('solo', cutoff, 1), { logs: 1, sessions: 0, done: false });
    assert.deepEqual(await stores[2]!.logs.deleteBefore('solo', cutoff, 1), { logs: 0, sessions: 0, done: true });
    assert.equal(await partitionExists('logs_y2019m02'), true, 'a month another instance still has is kept');
    assert.deepEqual((await allLogs(stores[0]!, 'neighbour')).map((l) => l.customerIds[0]), ['feb3']);
    assert.deepEqual(await allLogs(stores[0]!, 'solo'), []);
    assert.deepEqual(await stores[0]!.subjects.holdings('solo', { logs: ['jan1', 'feb1'].map((value) => ({ kind: 'customer_id' as const, value })),
      events: [{ kind: 'user_id', value: 'jan-event' }] }, cutoff), { logs: 0, events: 1, exports: 0 });
    // The store that still knew January (and the one that dropped it) take a late arrival for it.
    await stores[0]!.ingest([{ log: log('solo', 'late', jan) }]);
    await stores[1]!.ingest([{ log: log('solo', 'later', jan + 5) }]);
    assert.equal((await allLogs(stores[2]!, 'solo')).length, 2);
  });
  test('creating a month\'s partitions gives way to a query holding one parent table and wanting another', async () => {
    const [store] = stores;
    const reader = await store!.pool.connect();
    try {
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM log_subjects');
      const creating = store!.partitions.ensure([Date.UTC(2031, 5, 15)]);
      // By now the creation holds logs and waits for log_subjects: the reader asking for logs closes the cycle.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await reader.query('SELECT count(*) FROM logs');
      await reader.query('COMMIT');
      await creating;
    } finally {
      reader.release();
    }
    const { rows } = await store!.pool.query("SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE '%_y2031m06'");
    assert.equal(rows[0].n, 4, 'the partitions of every partitioned table, once the reader is done');
  });
});
