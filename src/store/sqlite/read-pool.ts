import type { Worker } from 'node:worker_threads';
import { QueryTimeout } from '../../model/errors.js';
import { startWorker } from './start-worker.js';

interface Query {
  sql: string;
  parameters: readonly unknown[];
  resolve: (rows: unknown[]) => void;
  reject: (err: Error) => void;
  /** Set once the query is answered (rows, error or timeout), so it is answered only once. */
  settled: boolean;
  /** Started when a thread takes the query. */
  timer?: NodeJS.Timeout;
}

interface Reader {
  worker: Worker;
  /** Its connection is open: a thread's start-up (tens of ms, more under load) is no query's time. */
  ready: boolean;
  /** The query it runs, if any; a reader whose query timed out keeps it until it has exited. */
  busy: { id: number; query: Query } | null;
}

/**
 * Threads with read-only connections of their own that run the heavy reads (pages and counts of logs), so the
 * request thread never runs one: SQLite in WAL mode lets them read while the writer writes. Each query has a time
 * budget from when a thread takes it; queries wait for a free thread in order, and since every query ahead is bounded
 * by its own budget, so is the wait. A query still running at the end of its budget is answered with QueryTimeout at
 * once and its thread terminated (better-sqlite3 has no way to interrupt a statement); the slot is reused once that
 * thread has exited, so at most `size` threads ever exist.
 */
export class ReadPool {
  private readonly readers = new Set<Reader>();
  private readonly waiting: Query[] = [];
  private nextId = 0;
  private closed = false;

  constructor(private readonly path: string, private readonly size: number, readonly budgetMs: number) {}

  /** The rows of one query (a statement that returns rows), or QueryTimeout past the budget. */
  run(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    if (this.closed) return Promise.reject(new Error('the read pool is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ sql, parameters, resolve, reject, settled: false });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.waiting.splice(0)) this.settle(q, new Error('the read pool is closed'));
    await Promise.all([...this.readers].map((r) => new Promise<void>((resolve) => {
      r.worker.once('exit', () => resolve());
      if (r.busy) void r.worker.terminate();
      else r.worker.postMessage('close');
    })));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const reader = [...this.readers].find((r) => r.ready && r.busy === null);
      if (!reader) return void this.spawn();
      const query = this.waiting.shift()!;
      const id = this.nextId++;
      reader.busy = { id, query };
      query.timer = setTimeout(() => this.expire(query), this.budgetMs);
      reader.worker.postMessage({ id, sql: query.sql, parameters: query.parameters });
    }
  }

  /** A new thread, unless every slot is taken or one is already starting (it takes the next query when ready). */
  private spawn(): void {
    if (this.closed || this.readers.size >= this.size || [...this.readers].some((r) => !r.ready)) return;
    const reader: Reader = { worker: startWorker('read-worker', { path: this.path }), ready: false, busy: null };
    reader.worker.on('message', (msg: { id: number; rows?: unknown[]; error?: string } | 'ready') => {
      if (msg === 'ready') {
        reader.ready = true;
        return void this.dispatch();
      }
      if (reader.busy?.id !== msg.id) return;
      const { query } = reader.busy;
      reader.busy = null;
      this.settle(query, msg.error === undefined ? msg.rows! : new Error(`log read failed: ${msg.error}`));
      this.dispatch();
    });
    reader.worker.on('error', (err) => {
      if (reader.busy) this.settle(reader.busy.query, err);
      // A thread that fails before it is ready (the database cannot be opened) fails what waits for it.
      else if (!reader.ready) for (const q of this.waiting.splice(0)) this.settle(q, err);
    });
    reader.worker.on('exit', () => {
      this.readers.delete(reader);
      if (reader.busy) this.settle(reader.busy.query, new Error('a log read thread exited'));
      this.dispatch();
    });
    this.readers.add(reader);
  }

  private expire(query: Query): void {
    if (query.settled) return;
    this.settle(query, new QueryTimeout(this.budgetMs));
    // Its thread is stopped; the slot frees when it has exited.
    for (const r of this.readers) if (r.busy?.query === query) void r.worker.terminate();
  }

  private settle(query: Query, result: unknown[] | Error): void {
    if (query.settled) return;
    query.settled = true;
    clearTimeout(query.timer);
    if (result instanceof Error) query.reject(result);
    else query.resolve(result);
  }
}
