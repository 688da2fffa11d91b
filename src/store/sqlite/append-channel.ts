import type { Worker } from 'node:worker_threads';
import type { EncodedWrite } from './ingest-append.js';
import type { SqliteOptions } from './open-database.js';
import { startWorker } from './start-worker.js';

interface Pending { resolve: () => void; reject: (err: Error) => void }

/**
 * The request thread's side of the writer thread: posts encoded batches and resolves each one when the worker
 * reports it committed. If the worker dies, its unfinished batches fail (their messages were never acknowledged)
 * and the next batch starts a fresh worker.
 */
export class AppendChannel {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(private readonly url: string, private readonly options: SqliteOptions) {}

  append(writes: EncodedWrite[]): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ensureWorker().postMessage({ id, writes });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage('close');
    await exited;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker('append-worker', { url: this.url, options: this.options });
    worker.on('message', ({ id, error }: { id: number; error?: string }) => {
      const p = this.pending.get(id);
      this.pending.delete(id);
      if (error === undefined) p?.resolve();
      else p?.reject(new Error(`log append failed: ${error}`));
    });
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      this.failAll(new Error('log writer thread exited'));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
