import type { DeletionJobRecord } from './deletion-jobs.js';
import type { EventRecord } from './events.js';
import type { ExportRecord } from './exports.js';
import type { LogRecord } from './logs.js';
import type { SubjectHoldings, SubjectKind } from './subjects.js';

/** What is held on a person, found under every alias that links records to them. */
export interface SubjectLookup {
  subject: { kind: SubjectKind; hash: string };
  /** Records held now, per table. */
  holdings: SubjectHoldings;
  deletionJobs: DeletionJobRecord[];
}

/** One section of everything held on a subject, streamed record by record. */
export type SubjectSection =
  | { name: 'logs'; records: AsyncIterable<LogRecord> }
  | { name: 'events'; records: AsyncIterable<EventRecord> }
  | { name: 'exports'; records: AsyncIterable<ExportRecord> }
  | { name: 'deletion_jobs'; records: AsyncIterable<DeletionJobRecord> };
