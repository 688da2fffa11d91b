import { parentPort, workerData } from 'node:worker_threads';
import type { Statement } from 'better-sqlite3';
import { openSqliteReader } from './open-database.js';

/**
 * A read thread (read-pool.ts): runs one query at a time on its own read-only connection. A query that overruns its
 * budget is not stopped here (better-sqlite3 cannot interrupt a statement): the pool gives up on it at once and
 * terminates this thread.
 */
const db = openSqliteReader((workerData as { path: string }).path);
// The few statements a page or count is made of come back again and again: prepared once, like the main thread's.
const statements = new Map<string, Statement>();

function prepared(sql: string): Statement {
  let statement = statements.get(sql);
  if (!statement) {
    if (statements.size >= 200) statements.clear();
    statements.set(sql, (statement = db.prepare(sql)));
  }
  return statement;
}

parentPort!.postMessage('ready');
parentPort!.on('message', (msg: { id: number; sql: string; parameters: unknown[] } | 'close') => {
  if (msg === 'close') {
    db.close();
    parentPort!.close();
    return;
  }
  try {
    const statement = prepared(msg.sql);
    if (!statement.reader) throw new Error('the read pool runs queries that return rows only');
    parentPort!.postMessage({ id: msg.id, rows: statement.all(msg.parameters) });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: (err as Error).message });
  }
});
