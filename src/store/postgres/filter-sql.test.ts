import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Kysely, PostgresDialect } from 'kysely';
import { BadRequest } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { FilterSyntaxError, parseFilter } from '../../filter/index.js';
import type { LogRecord } from '../records.js';
import type { Tables } from '../sql/tables.js';
import { FIELDS, INJECTION_CORPUS, OPERATORS, quoted } from '../../../test/helpers/filter-injection.js';
import { createTestDatabase, describePostgres, type TestDatabase } from '../../../test/helpers/postgres-database.js';
import { seededRandom } from '../../../test/helpers/seeded-random.js';
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
    const log = (i: number, text: string, customer: string): LogRecord => ({
      logId: newId(), instanceId: i < 3 ? 'i1' : 'i2', api: 'v1', assistantId: null, environmentId: null, workspaceId: 'w',
      sessionId: null, conversationId: `c${i}`, userId: `u${i}`, customerIds: [customer], deployment: null, language: 'en', snapshot: null,
      topIntent: 'greet', topConfidence: 0.9, entitiesCount: 1, inputText: text, learningOptOut: false, requestTs: 1000 + i, responseTs: 1001 + i,
      request: { input: { text } }, response: { intents: [{ intent: 'greet' }], entities: [{ entity: 'e', value: text }], output: { text: [text] } },
    });
    await store.ingest([
      { log: log(0, "' OR '1'='1", 'a%b') }, { log: log(1, 'plain words here', 'ab') }, { log: log(2, 'a & b <-> c', 'x_y') },
      { log: log(3, 'other instance', 'a%b') },
    ]);
  });
  after(async () => {
    await store.close();
    await database.drop();
  });

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
    assert.deepEqual((await run(`request.input.text:${quoted('a & b <-> c')}`)).conversations, ['c2'], 'tsquery syntax in a term is literal');
    assert.deepEqual((await run(`request.input.text:${quoted('a | !b')}`)).conversations, [], 'tsquery operators are not operators');
    assert.deepEqual((await run(`customer_id::${quoted('a\u0000b')}`)).conversations, [], 'a NUL in a term is no error');
    const { rows: [count] } = await store.pool.query<{ n: number }>('SELECT count(*) AS n FROM logs');
    assert.equal(count?.n, 4, 'the table is intact');
  });

  test('random filters never crash the compiler or the query, and never escape the instance', async () => {
    const random = seededRandom(20261123);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const term = () => random() < 0.3 ? quoted(pick(INJECTION_CORPUS)) : pick(['hello', 'plain', 'pla*', 'wordz~1', 'a*b', '2020-01-01', '0.5', '(a|b)', '*', 'x~2']);
    const comparison = () => `${pick(FIELDS)}${pick([...OPERATORS, '<', '>='])}${term()}`;
    for (let i = 0; i < 1500; i++) {
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
