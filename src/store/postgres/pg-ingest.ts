import type pg from 'pg';
import type { EventRecord } from '../../model/events.js';
import type { IngestWrite } from '../../model/ingest.js';
import type { LogRecord } from '../../model/logs.js';
import type { SessionRecord } from '../../model/sessions.js';
import { SEQ_PER_MS, requestTsOf, seqFloor } from '../../model/log-sequence.js';
import { toBit } from '../sql/mappers.js';
import { eventSubjects, logSubjects, outputTextOf } from '../sqlite/ingest-append.js';
import type { PartitionMaker } from './partitions.js';
import { withTransaction } from './transaction.js';
import { pgJson, pgText } from './pg-text.js';
import { messageFlags, type MetricRules } from '../../model/metric-rules.js';
import type { AggregatedLog } from '../metric-arithmetic.js';
import type { PgLogAggregates } from './pg-log-aggregates.js';

/**
 * Appending messages and analytics events: one transaction per group-commit batch, one multi-row INSERT per table
 * (arrays unnested server-side, so the statement has a fixed number of parameters whatever the batch size).
 *
 * Keys: each process hands out keys per millisecond from memory, and several processes may pick the same one. The
 * INSERT skips a taken key (ON CONFLICT DO NOTHING waits for the other writer's outcome first); the skipped rows get
 * the next key above the highest already stored for that millisecond and are inserted again.
 */

const LOG_COLUMNS: [string, string][] = [
  ['instance_id', 'text'], ['seq', 'int8'], ['log_id', 'text'], ['api', 'text'], ['assistant_id', 'text'], ['environment_id', 'text'],
  ['workspace_id', 'text'], ['session_id', 'text'], ['conversation_id', 'text'], ['user_id', 'text'], ['customer_id', 'text'],
  ['customer_ids', 'text'], ['deployment', 'text'], ['language', 'text'], ['snapshot', 'text'], ['top_intent', 'text'],
  ['top_confidence', 'float8'], ['entities_count', 'int4'], ['input_text', 'text'], ['learning_opt_out', 'int4'], ['request_ts', 'int8'],
  ['response_ts', 'int8'], ['request', 'text'], ['response', 'text'], ['metric_flags', 'int4'],
];
const EVENT_COLUMNS: [string, string][] = [
  ['instance_id', 'text'], ['seq', 'int8'], ['event_id', 'text'], ['type', 'text'], ['user_id', 'text'], ['visitor_id', 'text'],
  ['visit_id', 'text'], ['anonymous', 'int4'], ['search_uid', 'text'], ['origin_level1', 'text'], ['language', 'text'], ['ip_hash', 'text'],
  ['received_ts', 'int8'], ['batch_id', 'text'], ['payload', 'text'],
];

const unnest = (columns: [string, string][], extra: string[] = []) =>
  `SELECT * FROM unnest(${[...columns, ...extra.map((e) => [e, 'text'])].map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})`;

const INSERT_LOGS = `INSERT INTO logs (${LOG_COLUMNS.map(([c]) => c).join(', ')}, input_words, output_words)
  SELECT ${LOG_COLUMNS.map(([c]) => `u.${c}`).join(', ')}, to_tsvector('lethe_english', u.input_text), to_tsvector('lethe_english', u.output_text)
  FROM (${unnest(LOG_COLUMNS, ['output_text'])}) AS u(${[...LOG_COLUMNS.map(([c]) => c), 'output_text'].join(', ')})
  ON CONFLICT (instance_id, seq) DO NOTHING RETURNING seq`;
const INSERT_EVENTS = `INSERT INTO events (${EVENT_COLUMNS.map(([c]) => c).join(', ')})
  ${unnest(EVENT_COLUMNS)} ON CONFLICT (instance_id, seq) DO NOTHING RETURNING seq`;
const insertSubjects = (table: string) => `INSERT INTO ${table} (instance_id, kind, value, seq)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[]) ON CONFLICT DO NOTHING`;
// UPDATE, not upsert: a session deleted while a message was in flight must stay deleted.
const UPDATE_SESSIONS = `UPDATE sessions s SET context = u.context, last_active_at = u.last_active_at, expires_at = u.expires_at
  FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::int8[]) AS u(instance_id, session_id, context, last_active_at, expires_at)
  WHERE s.instance_id = u.instance_id AND s.session_id = u.session_id`;

type Primitive = string | number | null;

const NO_PARTITION = '23514';

interface Row {
  instanceId: string;
  receivedMs: number;
  seq: number;
  values: Primitive[];
  subjects: [string, string][];
}

/** Next free key per millisecond, as far as this process knows. */
class KeyAllocator {
  private readonly nextFree = new Map<number, number>();

  allocate(ms: number): number {
    for (let m = ms; ; m++) {
      const seq = this.nextFree.get(m) ?? seqFloor(m);
      // Over SEQ_PER_MS in one millisecond: the rest are recorded as received a millisecond later.
      if (seq >= seqFloor(m + 1)) continue;
      this.nextFree.set(m, seq + 1);
      if (this.nextFree.size > 4096) this.nextFree.delete(this.nextFree.keys().next().value as number);
      return seq;
    }
  }

  /** Another writer holds keys up to `highest`: continue above them. */
  skipTo(highest: number): void {
    const ms = Math.floor(highest / SEQ_PER_MS);
    this.nextFree.set(ms, Math.max(this.nextFree.get(ms) ?? 0, highest + 1));
  }
}

function logValues(l: LogRecord, rules: MetricRules): Primitive[] {
  return [
    l.instanceId, 0, l.logId, l.api, l.assistantId, l.environmentId, l.workspaceId, l.sessionId, l.conversationId, l.userId,
    l.customerIds[0] ?? null, pgJson(l.customerIds), l.deployment, l.language, l.snapshot, l.topIntent, l.topConfidence,
    l.entitiesCount, l.inputText, toBit(l.learningOptOut), l.requestTs, l.responseTs, pgJson(l.request), pgJson(l.response),
    messageFlags(l, rules), outputTextOf(l),
  ].map(pgText);
}

const logColumn = (name: string) => LOG_COLUMNS.findIndex(([c]) => c === name);
const [ASSISTANT_ID, DEPLOYMENT, USER_ID, CONVERSATION_ID, LOG_ID, TOP_INTENT, TOP_CONFIDENCE, METRIC_FLAGS] =
  ['assistant_id', 'deployment', 'user_id', 'conversation_id', 'log_id', 'top_intent', 'top_confidence', 'metric_flags'].map(logColumn) as
  [number, number, number, number, number, number, number, number];

/** A stored log row as the metric aggregates see it (values as stored, after pgText). */
function aggregatedLog(r: Row): AggregatedLog {
  const v = r.values;
  return {
    seq: r.seq, instanceId: r.instanceId, assistantId: v[ASSISTANT_ID] as string | null, deployment: v[DEPLOYMENT] as string | null,
    requestTs: v[LOG_TS] as number, userId: v[USER_ID] as string | null, conversationKey: (v[CONVERSATION_ID] ?? v[LOG_ID]) as string,
    topIntent: v[TOP_INTENT] as string | null, topConfidence: v[TOP_CONFIDENCE] as number | null, flags: v[METRIC_FLAGS] as number,
  };
}

function eventValues(e: EventRecord): Primitive[] {
  return [
    e.instanceId, 0, e.eventId, e.type, e.userId, e.visitorId, e.visitId, toBit(e.anonymous), e.searchUid, e.originLevel1, e.language,
    e.ipHash, e.receivedTs, e.batchId, JSON.stringify(e.payload),
  ].map(pgText);
}

const SEQ = 1;
const LOG_TS = LOG_COLUMNS.findIndex(([c]) => c === 'request_ts');
const EVENT_TS = EVENT_COLUMNS.findIndex(([c]) => c === 'received_ts');

/** Column-wise arrays of the rows, the shape `unnest` takes. */
function columns(rows: Primitive[][], width: number): Primitive[][] {
  return Array.from({ length: width }, (_, i) => rows.map((r) => r[i] ?? null));
}

export function createPgIngest(
  pool: pg.Pool, partitions: PartitionMaker, aggregates: PgLogAggregates, rules: MetricRules,
): (writes: IngestWrite[]) => Promise<void> {
  const logKeys = new KeyAllocator();
  const eventKeys = new KeyAllocator();

  /** Inserts rows until each has a key of its own; sorted by key so concurrent writers lock keys in the same order. */
  async function insertKeyed(client: pg.PoolClient, table: 'logs' | 'events', rows: Row[], keys: KeyAllocator, tsIndex: number, width: number) {
    let pending = rows;
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt > 50) throw new Error(`could not allocate ${table} keys`);
      for (const row of pending) {
        row.seq = keys.allocate(row.receivedMs);
        row.values[SEQ] = row.seq;
        // The stored time is the one the key encodes (they differ only past SEQ_PER_MS records in a millisecond).
        row.values[tsIndex] = requestTsOf(row.seq);
      }
      pending.sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : a.seq - b.seq));
      const res = await client.query<{ seq: string }>(table === 'logs' ? INSERT_LOGS : INSERT_EVENTS, columns(pending.map((r) => r.values), width));
      if (res.rows.length === pending.length) return;
      // Keys are unique within a batch (one allocator for every instance), so the returned keys name the rows.
      const inserted = new Set(res.rows.map((r) => Number(r.seq)));
      pending = pending.filter((r) => !inserted.has(r.seq));
      for (const r of pending) {
        const { rows: [top] } = await client.query<{ seq: string | null }>(
          `SELECT max(seq) AS seq FROM ${table} WHERE instance_id = $1 AND seq >= $2 AND seq < $3`,
          [r.instanceId, seqFloor(Math.floor(r.seq / SEQ_PER_MS)), seqFloor(Math.floor(r.seq / SEQ_PER_MS) + 1)],
        );
        if (top?.seq !== null && top?.seq !== undefined) keys.skipTo(Number(top.seq));
      }
    }
  }

  async function insertSubjectRows(client: pg.PoolClient, table: 'log_subjects' | 'event_subjects', rows: Row[]) {
    const entries = rows.flatMap((r) => r.subjects.map(([kind, value]) => [r.instanceId, kind, pgText(value), r.seq] as Primitive[]));
    if (entries.length) await client.query(insertSubjects(table), columns(entries, 4));
  }

  const commit = (logs: Row[], events: Row[], sessions: SessionRecord[]) => withTransaction(pool, async (client) => {
    if (logs.length) {
      await insertKeyed(client, 'logs', logs, logKeys, LOG_TS, LOG_COLUMNS.length + 1);
      await insertSubjectRows(client, 'log_subjects', logs);
      await aggregates.logsAdded(client, logs.map(aggregatedLog));
    }
    if (events.length) {
      await insertKeyed(client, 'events', events, eventKeys, EVENT_TS, EVENT_COLUMNS.length);
      await insertSubjectRows(client, 'event_subjects', events);
    }
    if (sessions.length) {
      const rows = sessions.map((s) => [s.instanceId, s.sessionId, JSON.stringify(s.context), s.lastActiveAt, s.expiresAt]);
      await client.query(UPDATE_SESSIONS, columns(rows, 5));
    }
  });

  return async (writes) => {
    const logs: Row[] = [];
    const events: Row[] = [];
    const sessions: SessionRecord[] = [];
    for (const w of writes) {
      if ('event' in w) {
        const e = w.event;
        events.push({ instanceId: e.instanceId, receivedMs: e.receivedTs, seq: 0, values: eventValues(e),
          subjects: eventSubjects(e).map((s) => [s.kind, s.value]) });
      } else {
        const l = w.log;
        logs.push({ instanceId: l.instanceId, receivedMs: l.requestTs, seq: 0, values: logValues(l, rules),
          subjects: logSubjects(l.customerIds, l.userId).map((s) => [s.kind, s.value]) });
        if (w.session) sessions.push(w.session);
      }
    }
    for (let attempt = 1; ; attempt++) {
      // Before the transaction: creating a partition waits for every transaction holding the parent table.
      await partitions.ensure([...logs, ...events].map((r) => r.receivedMs));
      try {
        return await commit(logs, events, sessions);
      } catch (err) {
        // No partition for a row: another process's retention dropped a month this one still knew about.
        if (attempt > 1 || (err as { code?: string }).code !== NO_PARTITION) throw err;
        partitions.forgetAll();
      }
    }
  };
}
