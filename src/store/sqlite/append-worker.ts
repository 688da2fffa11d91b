import { parentPort, workerData } from 'node:worker_threads';
import { createAppender, type EncodedWrite } from './ingest-append.js';
import { openSqlite, type SqliteOptions } from './open-database.js';

/**
 * The writer thread: owns a second connection to the database and commits message batches, so the fsync of each
 * group commit overlaps with request handling on the main thread instead of stalling it.
 */
const { url, options } = workerData as { url: string; options: SqliteOptions };
const db = openSqlite(url, options);
const append = createAppender(db);

parentPort!.on('message', (msg: { id: number; writes: EncodedWrite[] } | 'close') => {
  if (msg === 'close') {
    db.close();
    parentPort!.close();
    return;
  }
  try {
    append(msg.writes);
    parentPort!.postMessage({ id: msg.id });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: (err as Error).message });
  }
});
