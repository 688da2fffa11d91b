import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Kysely, PostgresDialect } from 'kysely';
import { parseFilter } from '../../filter/watson-logs/index.js';
import type { Tables } from '../sql/tables.js';
import { assertCorpusIsInert, assertRandomFiltersAreSafe, injectionLog, quoted } from '../../../test/helpers/filter-injection.js';
import { createTestDatabase, describePostgres, type TestDatabase } from '../../../test/helpers/postgres-database.js';
import { compilePostgresFilter } from './filter-sql.js';
import { NulReplacementPlugin } from './nul-plugin.js';
import { openPostgresStore, type PostgresStore } from './postgres-store.js';

describePostgres('PostgreSQL filter compilation', () => {
  let database: TestDatabase;
  let store: PostgresStore;
  // Only compiles queries (with the store's plugin); they run on the store's pool.
  const compiler = new Kysely<Tables>({
    dialect: new PostgresDialect({ pool: async () => { throw new Error('compile only'); } }), plugins: [new NulReplacementPlugin()],
  });
  const run = async (filter: string) => {
    const where = compilePostgresFilter(parseFilter(filter, 'v1'), 'i1');
    const compiled = compiler.selectFrom('logs').select('conversation_id').where('instance_id', '=', 'i1').where(where).compile();
    const { rows } = await store.pool.query<{ conversation_id: string }>(compiled.sql, [...compiled.parameters]);
    return { sql: compiled.sql, conversations: rows.map((r) => r.conversation_id ?? '').sort() };
  };

  before(async () => {
    database = await createTestDatabase('filter');
    store = await openPostgresStore(database.url);
    await store.ingest([
      { log: injectionLog(0, "' OR '1'='1", 'a%b') }, { log: injectionLog(1, 'plain words here', 'ab') },
      { log: injectionLog(2, 'a & b <-> c', 'x_y') }, { log: injectionLog(3, 'other instance', 'a%b') },
    ]);
  });
  after(async () => {
    await store.close();
    await database.drop();
  });

  test('injection corpus: every term is a bound parameter and matches only what it literally says', async () => {
    await assertCorpusIsInert(run);
    assert.deepEqual((await run(`request.input.text:${quoted('a & b <-> c')}`)).conversations, ['c2'], 'tsquery syntax in a term is literal');
    assert.deepEqual((await run(`request.input.text:${quoted('a | !b')}`)).conversations, [], 'tsquery operators are not operators');
    assert.deepEqual((await run(`customer_id::${quoted('a\u0000b')}`)).conversations, [], 'a NUL in a term is no error');
    const { rows: [count] } = await store.pool.query<{ n: number }>('SELECT count(*) AS n FROM logs');
    assert.equal(count?.n, 4, 'the table is intact');
  });

  test('random filters never crash the compiler or the query, and never escape the instance', () => assertRandomFiltersAreSafe(run, 1500));
});
