import type { EventRecord } from '../../model/events.js';
import type { LogRecord } from '../../model/logs.js';
import type { Store } from '../../store/store.js';
import type { SubjectTargets } from '../../model/subjects.js';

const PAGE = 500;

/** Every log of the subjects, oldest first, read page by page so memory stays constant whatever the count. */
export async function* subjectLogs(store: Store, instanceId: string, targets: SubjectTargets): AsyncGenerator<LogRecord> {
  let after: { seq: number } | null = null;
  do {
    const page = await store.logs.subjectPage({ instanceId, subjects: targets.logs, limit: PAGE, after });
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
