import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kysely, SqliteDialect } from 'kysely';
import { BadRequest } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { FilterSyntaxError, parseFilter } from '../../filter/index.js';
import type { Tables } from '../sql/tables.js';
import { compileSqliteFilter } from './filter-sql.js';
import { openSqlite } from './open-database.js';
import { listTextPartitions } from './text-index.js';
import { migrate } from './migrations.js';
import { createAppender, encodeWrites } from './ingest-append.js';
import type { LogRecord } from '../records.js';
import { seededRandom } from '../../../test/helpers/seeded-random.js';
import { FIELDS, INJECTION_CORPUS, OPERATORS, quoted } from '../../../test/helpers/filter-injection.js';

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
    const log = (i: number, text: string, customer: string): LogRecord => ({
      logId: newId(), instanceId: i < 3 ? 'i1' : 'i2', api: 'v1', assistantId: null, environmentId: null, workspaceId: 'w',
      sessionId: null, conversationId: `c${i}`, userId: `u${i}`, customerIds: [customer], deployment: null, language: 'en', snapshot: null,
      topIntent: 'greet', topConfidence: 0.9, entitiesCount: 1, inputText: text, learningOptOut: false, requestTs: 1000 + i, responseTs: 1001 + i,
      request: { input: { text } }, response: { intents: [{ intent: 'greet' }], entities: [{ entity: 'e', value: text }], output: { text: [text] } },
    });
    createAppender(raw)(encodeWrites([
      { log: log(0, "' OR '1'='1", 'a%b') }, { log: log(1, 'plain words here', 'ab') }, { log: log(2, 'NEAR(a b)', 'x_y') },
      { log: log(3, 'other instance', 'a%b') },
    ]));
  });
  after(() => db.destroy());

  test('injection corpus: every term is a bound parameter and matches only what it literally says', async () => {
    for (const evil of INJECTION_CORPUS) {
      for (const field of FIELDS) {
        for (const op of OPERATORS) {
          const filter = `${field}${op}${quoted(evil)}`;
          let result;
          try {
            result = await run(filter);
          } catch (err) {
            assert.ok(err instanceof BadRequest || err instanceof FilterSyntaxError, `${filter}: ${(err as Error).message}`);
            continue;
          }
          if (evil.length > 2) assert.equal(result.sql.includes(evil), false, `${filter} reached the SQL text`);
          assert.ok(result.conversations.every((c) => ['c0', 'c1', 'c2'].includes(c)), `${filter} crossed instances`);
        }
      }
    }
    assert.deepEqual((await run(`customer_id::${quoted('a%b')}`)).conversations, ['c0'], '% is not a LIKE wildcard');
    assert.deepEqual((await run(`customer_id:${quoted('x_y')}`)).conversations, ['c2'], '_ is not a LIKE wildcard');
    assert.deepEqual((await run(`request.input.text:${quoted("' OR '1'='1")}`)).conversations, ['c0']);
    assert.deepEqual((await run(`request.input.text:${quoted('NEAR(a b)')}`)).conversations, ['c2'], 'FTS syntax in a term is literal');
    assert.equal(((raw.prepare('SELECT count(*) AS n FROM logs').get()) as { n: number }).n, 4, 'the table is intact');
  });

  test('random filters never crash the compiler or the query, and never escape the instance', async () => {
    const random = seededRandom(20261123);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const term = () => random() < 0.3 ? quoted(pick(INJECTION_CORPUS)) : pick(['hello', 'plain', 'pla*', 'wordz~1', 'a*b', '2020-01-01', '0.5', '(a|b)', '*', 'x~2']);
    const comparison = () => `${pick(FIELDS)}${pick([...OPERATORS, '<', '>='])}${term()}`;
    for (let i = 0; i < 3000; i++) {
      const filter = Array.from({ length: 1 + Math.floor(random() * 3) }, comparison).join(pick([',', '|']));
      try {
        const { conversations } = await run(filter);
        assert.ok(conversations.every((c) => ['c0', 'c1', 'c2'].includes(c)), filter);
      } catch (err) {
        assert.ok(err instanceof BadRequest || err instanceof FilterSyntaxError, `${filter}: ${(err as Error).stack}`);
      }
    }
  });
});
