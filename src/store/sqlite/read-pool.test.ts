import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { QueryTimeout } from '../../model/errors.js';
import { openSqlite } from './open-database.js';
import { ReadPool } from './read-pool.js';

const dir = mkdtempSync(join(tmpdir(), 'lethe-read-pool-'));
const path = join(dir, 'reads.db');
// Counts forever; lethe_row() lets the thread be stopped within a row, as in every filtered read (filter-sql.ts).
const ENDLESS = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE lethe_row()) SELECT count(*) AS n FROM c';
let pool: ReadPool;

before(() => {
  const db = openSqlite(`sqlite:${path}`, { synchronous: 'NORMAL' });
  db.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('a'), ('b')");
  db.close();
  pool = new ReadPool(path, 1, 1500);
});
after(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

test('answers queries from its own threads, with the filter functions registered', async () => {
  assert.deepEqual(await pool.run('SELECT v, lethe_like(v, ?) AS m FROM t ORDER BY v', ['["","A"]']), [{ v: 'a', m: 1 }, { v: 'b', m: 0 }]);
});

test('a query past its budget is answered with QueryTimeout, the request thread stays free, and the pool goes on', { timeout: 60_000 }, async () => {
  const order: string[] = [];
  const endless = pool.run(ENDLESS, []).then(() => order.push('answered'), (err: unknown) => {
    order.push('timeout');
    return err;
  });
  // Queued behind the endless one in a pool of one thread: it runs on the thread that replaces the stopped one.
  const queued = pool.run('SELECT count(*) AS n FROM t', []);
  await new Promise((resolve) => setTimeout(resolve, 20));
  order.push('timer');
  assert.ok((await endless) instanceof QueryTimeout);
  assert.deepEqual(order, ['timer', 'timeout'], 'a timer on the request thread fired while the query ran');
  assert.deepEqual(await queued, [{ n: 2 }]);
});

test('refuses a statement that writes', async () => {
  await assert.rejects(pool.run("INSERT INTO t VALUES ('c')", []), /rows only|readonly/);
  assert.deepEqual(await pool.run('SELECT count(*) AS n FROM t', []), [{ n: 2 }]);
});
