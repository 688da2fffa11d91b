import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { withinEdits } from '../../filter/watson-logs/text-match.js';
import { createTestDatabase, describePostgres, type TestDatabase } from '../../../test/helpers/postgres-database.js';
import { seededRandom } from '../../../test/helpers/seeded-random.js';
import { migratePostgres } from './migrations.js';

/** `lethe_within` (migrations.ts) answers approximate terms on PostgreSQL as withinEdits does on SQLite. */
describePostgres('lethe_within: approximate terms on PostgreSQL', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  before(async () => {
    database = await createTestDatabase('within');
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    pool.on('error', () => {});
    await migratePostgres(pool);
  });
  after(async () => {
    await pool.end();
    await database.drop();
  });

  test('agrees with the JavaScript edit distance on random strings', async () => {
    const random = seededRandom(0x1e7e);
    const text = (max: number) => Array.from({ length: Math.floor(random() * max) }, () => 'abcÉé'[Math.floor(random() * 5)]).join('');
    const pairs = Array.from({ length: 3000 }, () => {
      const a = text(8);
      const b = random() < 0.5 ? text(8) : a.slice(0, Math.floor(random() * a.length)) + text(2) + a.slice(Math.floor(random() * a.length) + 1);
      return [a, b, Math.floor(random() * 3)] as const;
    });
    const { rows } = await pool.query<{ within: boolean }>(
      'SELECT lethe_within(a, b, n) AS within FROM unnest($1::text[], $2::text[], $3::int[]) WITH ORDINALITY AS t(a, b, n, i) ORDER BY i',
      [pairs.map((p) => p[0]), pairs.map((p) => p[1]), pairs.map((p) => p[2])],
    );
    let within = 0;
    pairs.forEach(([a, b, n], i) => {
      assert.equal(rows[i]!.within, withinEdits(a, b, n), `${a} ${b} within ${n}`);
      if (rows[i]!.within) within++;
    });
    assert.ok(within > 300, `${within} pairs within`);
  });

  test('a long value costs its length times the edits, not its length squared', { timeout: 30_000 }, async () => {
    // The table of the first version was 16M cells here: over a minute for this one value.
    const { rows: [row] } = await pool.query<{ within: boolean }>(
      "SELECT lethe_within(repeat('ab', 2000), 'x' || repeat('ab', 2000), 2) AS within, lethe_within(repeat('é', 4000), repeat('é', 3998) || 'xy', 1) AS not_within");
    assert.deepEqual(row, { within: true, not_within: false });
  });
});
