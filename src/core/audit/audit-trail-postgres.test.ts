import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runTwoAppenders } from '../../../test/helpers/audit-appenders.js';
import { createTestDatabase, describePostgres, type TestDatabase } from '../../../test/helpers/postgres-database.js';
import { openPostgresStore, type PostgresStore } from '../../store/postgres/postgres-store.js';
import { SubjectHasher } from '../subjects/subject-hash.js';
import { AuditTrail } from './audit-trail.js';

/** The chain's one guarantee that depends on the engine: appends from several processes never fork it. */
describePostgres('AuditTrail on PostgreSQL', () => {
  let database: TestDatabase;
  let store: PostgresStore;
  let audit: AuditTrail;

  before(async () => {
    database = await createTestDatabase('audit');
    store = await openPostgresStore(database.url);
    audit = new AuditTrail(store.audit, await SubjectHasher.load(store.secrets));
  });
  after(async () => {
    await store.close();
    await database.drop();
  });

  test('two processes appending to one chain at once never fork it', async () => {
    assert.deepEqual(await runTwoAppenders(database.url, 'shared', 10, 50), [0, 0]);

    const v = await audit.verify('shared');
    assert.deepEqual([v.ok, v.entries, v.head.seq], [true, 1000, 1000]);
    const { rows: actors } = await store.pool.query<{ actor: string; n: string }>(
      "SELECT actor, count(*) AS n FROM audit_entries WHERE instance_id = 'shared' GROUP BY actor ORDER BY actor");
    assert.deepEqual(actors.map((r) => [r.actor, Number(r.n)]), [['a', 500], ['b', 500]]);
  });

  test('appends racing in one process on a pool of connections, first ever append included, keep one chain', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => audit.record({ instanceId: 'fresh', actor: 'system', action: 'test.append', target: `t${i}` })));
    const v = await audit.verify('fresh');
    assert.deepEqual([v.ok, v.entries], [true, 40]);
  });
});
