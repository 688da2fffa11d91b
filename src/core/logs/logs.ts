import type { LogRepository } from '../../store/store.js';
import { exportLogs, type LogExport, type LogExportRequest } from './log-export.js';
import { queryLogs, type LogQuery, type LogQueryResult } from './log-queries.js';

/** Reading the logs through the Watson filter language: a page at a time, or every match as one file. */
export class Logs {
  constructor(private readonly repo: LogRepository) {}

  query(q: LogQuery): Promise<LogQueryResult> {
    return queryLogs(this.repo, q);
  }

  export(r: LogExportRequest): LogExport {
    return exportLogs(this.repo, r);
  }
}
