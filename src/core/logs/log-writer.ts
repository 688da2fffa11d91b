import type { MessageWrite } from '../../store/records.js';
import type { LogRepository } from '../../store/store.js';

interface Pending {
  write: MessageWrite;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit. Every message waits for its own log row to be committed before it is acknowledged, but the writes
 * that arrive while one commit is in flight (or within the same event-loop turn) share the next transaction, so
 * the cost of a durable commit is paid once per batch rather than once per message.
 */
export class LogWriter {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;

  constructor(private readonly repo: LogRepository, private readonly maxBatch = 2000) {}

  write(write: MessageWrite): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything handed to `write` before this call has been committed (or has failed). */
  async drain(): Promise<void> {
    while (this.queue.length || this.flushing || this.scheduled) {
      await (this.flushing ?? new Promise((resolve) => setImmediate(resolve)));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushing = this.flush().finally(() => {
        this.flushing = null;
        if (this.queue.length) this.schedule();
      });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    try {
      await this.repo.appendBatch(batch.map((p) => p.write));
      for (const p of batch) p.resolve();
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
