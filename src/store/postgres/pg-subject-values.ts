import type { Subject } from '../records.js';
import type { ExportRepository, SubjectRepository } from '../store.js';
import { pgText } from './pg-text.js';

// Subject values are stored through pgText (a NUL as U+FFFD), so the portable repositories must look them up the same way.
const pgSubject = (s: Subject): Subject => ({ kind: s.kind, value: pgText(s.value) });

export function pgSubjectRepository(base: SubjectRepository): SubjectRepository {
  return {
    holdings: (instanceId, targets, cutoffTs) =>
      base.holdings(instanceId, { logs: targets.logs.map(pgSubject), events: targets.events.map(pgSubject) }, cutoffTs),
  };
}

export function pgExportRepository(base: ExportRepository): ExportRepository {
  return {
    ...base,
    holding: (instanceId, subjects) => base.holding(instanceId, subjects.map(pgSubject)),
    complete: (exportId, content, subjects, at) => base.complete(exportId, content, subjects.map(pgSubject), at),
    eraseForSubject: (instanceId, subject) => base.eraseForSubject(instanceId, pgSubject(subject)),
  };
}
