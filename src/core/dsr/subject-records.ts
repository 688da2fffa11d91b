import { parseLogFilter } from '../logs/log-queries.js';
import type { EventRecord, LogRecord, Subject } from '../../store/records.js';
import type { Store, SubjectTargets } from '../../store/store.js';

const PAGE = 500;

/** A quoted filter term: any identifier becomes one literal. */
const literal = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

const FILTER_FIELD: Record<Subject['kind'], string | null> = {
  customer_id: 'customer_id',
  user_id: 'request.context.global.system.user_id',
  visitor_id: null,
};

/** The logs linked to any of the subjects, as a Watson filter (null when no log can be linked to them). */
function logFilter(subjects: Subject[]): string | null {
  const terms = subjects.flatMap((s) => (FILTER_FIELD[s.kind] ? [`${FILTER_FIELD[s.kind]}::${literal(s.value)}`] : []));
  return terms.length ? terms.join('|') : null;
}

/** Every log of the subjects, oldest first, read page by page so memory stays constant whatever the count. */
export async function* subjectLogs(store: Store, instanceId: string, targets: SubjectTargets): AsyncGenerator<LogRecord> {
  const filter = logFilter(targets.logs);
  if (!filter) return;
  let after: { seq: number } | null = null;
  do {
    const page = await store.logs.page({ instanceId, filter: parseLogFilter(filter, 'any'), scope: {}, descending: false, limit: PAGE, after });
    for (const { seq: _seq, ...log } of page.logs) yield log;
    after = page.next;
  } while (after);
}

/** Every event attributed to the subjects (under any alias), oldest first, page by page. */
export async function* subjectEvents(store: Store, instanceId: string, targets: SubjectTargets): AsyncGenerator<EventRecord> {
  if (!targets.events.length) return;
  let afterSeq: number | undefined;
  for (;;) {
    const page = await store.events.list({ instanceId, subjects: targets.events, limit: PAGE, ...(afterSeq === undefined ? {} : { afterSeq }) });
    for (const { seq: _seq, ...event } of page) yield event;
    if (page.length < PAGE) return;
    afterSeq = page[page.length - 1]!.seq;
  }
}
