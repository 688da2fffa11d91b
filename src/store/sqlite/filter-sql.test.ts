import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kysely, SqliteDialect } from 'kysely';
import { parseFilter } from '../../filter/watson-logs/index.js';
import type { Tables } from '../sql/tables.js';
import { compileSqliteFilter } from './filter-sql.js';
import { openSqlite } from './open-database.js';
import { listTextPartitions } from './text-index.js';
import { migrate } from './migrations.js';
import { createAppender, encodeWrites } from './ingest-append.js';
import { assertCorpusIsInert, assertRandomFiltersAreSafe, injectionLog, quoted } from '../../../test/helpers/filter-injection.js';

describe('SQLite filter compilation', () => {
  const raw = openSqlite('sqlite::memory:', { synchronous: 'NORMAL' });
  migrate(raw);
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: raw }) });
  const run = async (filter: string) => {
    const where = compileSqliteFilter(parseFilter(filter, 'v1'), 'i1', listTextPartitions(raw));
    const compiled = db.selectFrom('logs').select('conversation_id').where('instance_id', '=', 'i1').where(where).compile();
    const rows = await db.executeQuery(compiled);
    return { sql: compiled.sql, conversations: rows.rows.map((r) => r.conversation_id ?? '') };
  };

  before(() => {
    createAppender(raw)(encodeWrites([
      { log: injectionLog(0, "' OR '1'='1", 'a%b') }, { log: injectionLog(1, 'plain words here', 'ab') },
      { log: injectionLog(2, 'NEAR(a b)', 'x_y') }, { log: injectionLog(3, 'other instance', 'a%b') },
    ]));
  });
  after(() => db.destroy());

  test('injection corpus: every term is a bound parameter and matches only what it literally says', async () => {
    await assertCorpusIsInert(run);
    assert.deepEqual((await run(`request.input.text:${quoted('NEAR(a b)')}`)).conversations, ['c2'], 'FTS syntax in a term is literal');
    assert.equal(((raw.prepare('SELECT count(*) AS n FROM logs').get()) as { n: number }).n, 4, 'the table is intact');
  });

  test('random filters never crash the compiler or the query, and never escape the instance', () => assertRandomFiltersAreSafe(run, 3000));
});
