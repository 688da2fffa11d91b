import type { IngestWrite } from '../../model/ingest.js';

interface Pending {
  write: IngestWrite;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit. Every message and event waits for its own row to be committed before it is acknowledged, but the writes
 * that arrive while commits are in flight (or within the same event-loop turn) share the next transaction, so the
 * cost of a durable commit is paid once per batch rather than once per message. Two batches may be in flight so the
 * store's writer never idles while a finished batch's acknowledgement travels back.
 */
export class IngestWriter {
  private queue: Pending[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private scheduled = false;

  constructor(
    /** Commits one batch in one transaction (Store.ingest). */
    private readonly commit: (writes: IngestWrite[]) => Promise<void>,
    private readonly maxBatch = 2000,
    private readonly maxInFlight = 2,
  ) {}

  write(write: IngestWrite): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything handed to `write` before this call has been committed (or has failed). */
  async drain(): Promise<void> {
    while (this.queue.length || this.inFlight.size || this.scheduled) {
      await (this.inFlight.size ? Promise.race(this.inFlight) : new Promise((resolve) => setImmediate(resolve)));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight.size >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.queue.length) return;
      const flush: Promise<void> = this.flush(this.queue.splice(0, this.maxBatch)).finally(() => {
        this.inFlight.delete(flush);
        if (this.queue.length) this.schedule();
      });
      this.inFlight.add(flush);
      if (this.queue.length) this.schedule();
    });
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      await this.commit(batch.map((p) => p.write));
      for (const p of batch) p.resolve();
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
