import type { Worker } from 'node:worker_threads';
import { QueryTimeout } from '../../core/errors.js';
import { startWorker } from './start-worker.js';

interface Query {
  sql: string;
  parameters: readonly unknown[];
  resolve: (rows: unknown[]) => void;
  reject: (err: Error) => void;
  /** Set once the query is answered (rows, error or timeout), so it is answered only once. */
  settled: boolean;
  timer: NodeJS.Timeout;
}

interface Reader {
  worker: Worker;
  /** The query it runs, if any; a reader whose query timed out keeps it until it has exited. */
  busy: { id: number; query: Query } | null;
}

/**
 * Threads with read-only connections of their own that run the heavy reads (pages and counts of logs), so the
 * request thread never runs one: SQLite in WAL mode lets them read while the writer writes. Each query has a time
 * budget counted from when it is asked for, waiting included. A query still running at the end of it is answered
 * with QueryTimeout at once and its thread terminated (better-sqlite3 has no way to interrupt a statement); the slot
 * is reused once that thread has exited, so at most `size` threads ever exist.
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
      const query: Query = { sql, parameters, resolve, reject, settled: false, timer: setTimeout(() => this.expire(query), this.budgetMs) };
      this.waiting.push(query);
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
      const reader = [...this.readers].find((r) => r.busy === null) ?? this.spawn();
      if (!reader) return;
      const query = this.waiting.shift()!;
      const id = this.nextId++;
      reader.busy = { id, query };
      reader.worker.postMessage({ id, sql: query.sql, parameters: query.parameters });
    }
  }

  private spawn(): Reader | undefined {
    if (this.closed || this.readers.size >= this.size) return undefined;
    const reader: Reader = { worker: startWorker('read-worker', { path: this.path }), busy: null };
    reader.worker.on('message', (msg: { id: number; rows?: unknown[]; error?: string }) => {
      if (reader.busy?.id !== msg.id) return;
      const { query } = reader.busy;
      reader.busy = null;
      this.settle(query, msg.error === undefined ? msg.rows! : new Error(`log read failed: ${msg.error}`));
      this.dispatch();
    });
    reader.worker.on('error', (err) => {
      if (reader.busy) this.settle(reader.busy.query, err);
    });
    reader.worker.on('exit', () => {
      this.readers.delete(reader);
      if (reader.busy) this.settle(reader.busy.query, new Error('a log read thread exited'));
      this.dispatch();
    });
    this.readers.add(reader);
    return reader;
  }

  private expire(query: Query): void {
    if (query.settled) return;
    this.settle(query, new QueryTimeout(this.budgetMs));
    const waitingAt = this.waiting.indexOf(query);
    if (waitingAt !== -1) return void this.waiting.splice(waitingAt, 1);
    // Still running: its thread is stopped; the slot frees when it has exited.
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
