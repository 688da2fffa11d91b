import type { Logger } from 'pino';
import { PollingWorker } from '../polling-loop.js';
import type { LogRepository } from '../../store/store.js';

/**
 * Keeps the logs' search index cheap to delete from: every interval, runs the store's compaction steps until none
 * is left. Each step is a short write transaction, and the loop yields between steps, so ingest and requests keep
 * flowing; a month that has just ended is merged within minutes of the first pass after it.
 */
export class IndexCompactor extends PollingWorker {
  constructor(private readonly logs: Pick<LogRepository, 'compactIndexStep'>, private readonly log: Logger, intervalMs: number) {
    super(intervalMs, log, 'search index compaction');
  }

  protected async pass(): Promise<void> {
    let steps = 0;
    while (this.loop.active && (await this.logs.compactIndexStep(Date.now()))) {
      steps++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (steps) this.log.info({ steps }, 'search index compacted');
  }
}
