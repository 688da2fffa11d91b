import type Database from 'better-sqlite3';
import type { EventRecord } from '../../model/events.js';
import type { IngestWrite } from '../../model/ingest.js';
import type { LogRecord } from '../../model/logs.js';
import type { Subject } from '../../model/subjects.js';
import { requestTsOf } from '../../model/log-sequence.js';
import { sessionToRow, toBit } from '../sql/mappers.js';
import { SeqAllocator } from './seq-allocator.js';
import { indexedWords } from './fts-words.js';
import { TextIndex } from './text-index.js';
import { DEFAULT_METRIC_RULES, messageFlags, type MetricRules } from '../../model/metric-rules.js';
import type { AggregatedLog } from '../metric-arithmetic.js';
import { createLogAggregates } from './log-aggregates.js';

/**
 * Appending messages and analytics events, split so the SQL can run on a writer thread: `encodeWrites` turns records
 * into flat rows of primitives on the request thread (cheap to post to a worker), `createAppender` commits them
 * wherever it runs.
 */

const LOG_COLUMNS = [
  'log_id', 'instance_id', 'api', 'assistant_id', 'environment_id', 'workspace_id', 'session_id', 'conversation_id',
  'user_id', 'customer_id', 'customer_ids', 'deployment', 'language', 'snapshot', 'top_intent', 'top_confidence',
  'entities_count', 'input_text', 'learning_opt_out', 'request_ts', 'response_ts', 'request', 'response', 'metric_flags',
] as const;

const EVENT_COLUMNS = [
  'event_id', 'instance_id', 'type', 'user_id', 'visitor_id', 'visit_id', 'anonymous', 'search_uid', 'origin_level1',
  'language', 'ip_hash', 'received_ts', 'batch_id', 'payload',
] as const;

type Primitive = string | number | null;
const INPUT_TEXT = LOG_COLUMNS.indexOf('input_text');
const INSTANCE_ID = LOG_COLUMNS.indexOf('instance_id');
const REQUEST_TS = LOG_COLUMNS.indexOf('request_ts');

export type EncodedWrite =
  | {
    kind: 'log';
    log: Primitive[];
    /** What the assistant said, one text per line: indexed for `response.output.text` filters. */
    outputText: string;
    /** `[kind, value]` pairs the record is indexed under. */
    subjects: [string, string][];
    /** `[context, last_active_at, expires_at, session_id, instance_id]` when the message advanced a session. */
    session: Primitive[] | null;
  }
  | { kind: 'event'; event: Primitive[]; subjects: [string, string][] };

/** The subjects a log is indexed under; deletion removes exactly these index entries. */
export function logSubjects(customerIds: string[], userId: string | null): Subject[] {
  const subjects: Subject[] = customerIds.map((value) => ({ kind: 'customer_id', value }));
  if (userId) subjects.push({ kind: 'user_id', value: userId });
  return subjects;
}

function logParams(l: LogRecord, rules: MetricRules): Primitive[] {
  return [
    l.logId, l.instanceId, l.api, l.assistantId, l.environmentId, l.workspaceId, l.sessionId, l.conversationId,
    l.userId, l.customerIds[0] ?? null, JSON.stringify(l.customerIds), l.deployment, l.language, l.snapshot,
    l.topIntent, l.topConfidence, l.entitiesCount, l.inputText, toBit(l.learningOptOut), l.requestTs, l.responseTs,
    JSON.stringify(l.request), l.responseJson ?? JSON.stringify(l.response), messageFlags(l, rules),
  ];
}

/** v1 answers in `output.text[]`, v2 in `output.generic[].text`. */
export function outputTextOf(log: Pick<LogRecord, 'api' | 'response'>): string {
  const output = (log.response.output ?? {}) as { text?: unknown; generic?: { text?: unknown }[] };
  const texts = log.api === 'v1' ? output.text : output.generic?.map((g) => g.text);
  return Array.isArray(texts) ? texts.filter((t): t is string => typeof t === 'string').join('\n') : '';
}

/** The subjects an event is indexed under: its user and its visitor. */
export function eventSubjects(e: Pick<EventRecord, 'userId' | 'visitorId'>): Subject[] {
  const subjects: Subject[] = [];
  if (e.userId) subjects.push({ kind: 'user_id', value: e.userId });
  if (e.visitorId && e.visitorId !== e.userId) subjects.push({ kind: 'visitor_id', value: e.visitorId });
  return subjects;
}

function eventParams(e: EventRecord): Primitive[] {
  return [
    e.eventId, e.instanceId, e.type, e.userId, e.visitorId, e.visitId, toBit(e.anonymous), e.searchUid, e.originLevel1,
    e.language, e.ipHash, e.receivedTs, e.batchId, JSON.stringify(e.payload),
  ];
}

/** `rules` judge each message's escalation and fallback (model/metric-rules.ts) before it is stored. */
export function encodeWrites(writes: IngestWrite[], rules: MetricRules = DEFAULT_METRIC_RULES): EncodedWrite[] {
  return writes.map((w) => {
    if ('event' in w) {
      return { kind: 'event', event: eventParams(w.event), subjects: eventSubjects(w.event).map((x) => [x.kind, x.value]) };
    }
    const { log, session } = w;
    const s = session && sessionToRow(session);
    return {
      kind: 'log',
      log: logParams(log, rules),
      outputText: outputTextOf(log),
      subjects: logSubjects(log.customerIds, log.userId).map((x) => [x.kind, x.value]),
      session: s ? [s.context, s.last_active_at, s.expires_at, s.session_id, s.instance_id] : null,
    };
  });
}

const RECEIVED_TS = EVENT_COLUMNS.indexOf('received_ts');
const col = (name: (typeof LOG_COLUMNS)[number]) => LOG_COLUMNS.indexOf(name);
const [ASSISTANT_ID, DEPLOYMENT, USER_ID, CONVERSATION_ID, LOG_ID, TOP_INTENT, TOP_CONFIDENCE, METRIC_FLAGS] = (
  ['assistant_id', 'deployment', 'user_id', 'conversation_id', 'log_id', 'top_intent', 'top_confidence', 'metric_flags'] as const
).map(col) as [number, number, number, number, number, number, number, number];

function aggregatedLog(seq: number, log: Primitive[]): AggregatedLog {
  return {
    seq, instanceId: log[INSTANCE_ID] as string, assistantId: log[ASSISTANT_ID] as string | null, deployment: log[DEPLOYMENT] as string | null,
    requestTs: log[REQUEST_TS] as number, userId: log[USER_ID] as string | null,
    conversationKey: (log[CONVERSATION_ID] ?? log[LOG_ID]) as string, topIntent: log[TOP_INTENT] as string | null,
    topConfidence: log[TOP_CONFIDENCE] as number | null, flags: log[METRIC_FLAGS] as number,
  };
}
const EVENT_INSTANCE_ID = EVENT_COLUMNS.indexOf('instance_id');

/** Commits encoded writes in one transaction: all of them or none. */
export function createAppender(db: Database.Database): (writes: EncodedWrite[]) => void {
  const logSeqs = new SeqAllocator(db, 'logs');
  const eventSeqs = new SeqAllocator(db, 'events');
  const insertLog = db.prepare(`INSERT INTO logs (seq, ${LOG_COLUMNS.join(', ')}) VALUES (?, ${LOG_COLUMNS.map(() => '?').join(', ')})`);
  const insertEvent = db.prepare(`INSERT INTO events (seq, ${EVENT_COLUMNS.join(', ')}) VALUES (?, ${EVENT_COLUMNS.map(() => '?').join(', ')})`);
  const insertLogSubject = db.prepare('INSERT OR IGNORE INTO log_subjects (instance_id, kind, value, seq) VALUES (?, ?, ?, ?)');
  const insertEventSubject = db.prepare('INSERT OR IGNORE INTO event_subjects (instance_id, kind, value, seq) VALUES (?, ?, ?, ?)');
  const text = new TextIndex(db);
  // UPDATE, not upsert: a session deleted while a message was in flight must stay deleted.
  const updateSession = db.prepare('UPDATE sessions SET context = ?, last_active_at = ?, expires_at = ? WHERE session_id = ? AND instance_id = ?');
  const aggregates = createLogAggregates(db);

  const appendLog = (w: Extract<EncodedWrite, { kind: 'log' }>): AggregatedLog => {
    const seq = logSeqs.allocate(w.log[REQUEST_TS] as number);
    // The stored request time is the one the key encodes (they differ only past SEQ_PER_MS messages in a millisecond).
    w.log[REQUEST_TS] = requestTsOf(seq);
    insertLog.run(seq, w.log);
    text.add(seq, indexedWords(w.log[INPUT_TEXT] as string), indexedWords(w.outputText));
    for (const [kind, value] of w.subjects) insertLogSubject.run(w.log[INSTANCE_ID], kind, value, seq);
    if (w.session) updateSession.run(w.session);
    return aggregatedLog(seq, w.log);
  };
  const appendEvent = (w: Extract<EncodedWrite, { kind: 'event' }>) => {
    const seq = eventSeqs.allocate(w.event[RECEIVED_TS] as number);
    w.event[RECEIVED_TS] = requestTsOf(seq);
    insertEvent.run(seq, w.event);
    for (const [kind, value] of w.subjects) insertEventSubject.run(w.event[EVENT_INSTANCE_ID], kind, value, seq);
  };
  const append = db.transaction((writes: EncodedWrite[]) => {
    const logs: AggregatedLog[] = [];
    for (const w of writes) {
      if (w.kind === 'log') logs.push(appendLog(w));
      else appendEvent(w);
    }
    aggregates.logsAdded(logs);
  });
  return (writes) => append.immediate(writes);
}
