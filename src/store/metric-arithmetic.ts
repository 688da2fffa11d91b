import { conversationOutcome } from '../model/conversation-outcome.js';
import { coverageBucket } from '../model/coverage.js';
import { ESCALATED } from '../model/metric-rules.js';

/**
 * The engine-neutral arithmetic of the metric aggregates (migration 6): what a log contributes, how a batch is summed
 * in memory, and how a conversation's summary and outcome move when messages are added or removed. Each engine
 * (sqlite/log-aggregates.ts, postgres/pg-log-aggregates.ts) only reads and writes the rows.
 *
 * A scope is (assistant, deployment), with '' standing for "none"; days are UTC days since the epoch.
 */
export interface AggregatedLog {
  seq: number;
  instanceId: string;
  assistantId: string | null;
  deployment: string | null;
  requestTs: number;
  userId: string | null;
  /** conversation_id, or the log id for a message outside any conversation. */
  conversationKey: string;
  topIntent: string | null;
  topConfidence: number | null;
  /** metric-rules.ts flags. */
  flags: number;
}

/** The log columns removing a log needs for its aggregates: select them before deleting. */
export const REMOVED_LOG_COLUMNS =
  'seq, instance_id, assistant_id, deployment, request_ts, user_id, conversation_id, log_id, top_intent, top_confidence, metric_flags';

export interface RemovedLogRow {
  seq: number; instance_id: string; assistant_id: string | null; deployment: string | null; request_ts: number; user_id: string | null;
  conversation_id: string | null; log_id: string; top_intent: string | null; top_confidence: number | null; metric_flags: number;
}

export function aggregatedLogFromRow(r: RemovedLogRow): AggregatedLog {
  return {
    seq: r.seq, instanceId: r.instance_id, assistantId: r.assistant_id, deployment: r.deployment, requestTs: r.request_ts, userId: r.user_id,
    conversationKey: r.conversation_id ?? r.log_id, topIntent: r.top_intent, topConfidence: r.top_confidence, flags: r.metric_flags,
  };
}

export const dayOf = (ms: number) => Math.floor(ms / 86_400_000);

export const scopeOf = (l: AggregatedLog) => [l.instanceId, l.assistantId ?? '', l.deployment ?? ''] as const;

export interface DayDelta { messages: number; conversations: number; escalated: number; abandoned: number; users: number }

export const emptyDay = (): DayDelta => ({ messages: 0, conversations: 0, escalated: 0, abandoned: 0, users: 0 });

type Key = (string | number)[];

/** Counts keyed by a tuple, summed in memory before they reach the database, then read back in key order. */
export class Tally<V> {
  private readonly entries = new Map<string, { key: Key; value: V }>();
  constructor(private readonly empty: () => V) {}
  at(key: Key): V {
    const k = JSON.stringify(key);
    let e = this.entries.get(k);
    if (!e) this.entries.set(k, (e = { key, value: this.empty() }));
    return e.value;
  }
  /** In key order, so concurrent writers touch the same rows in the same order. */
  sorted(): { key: Key; value: V }[] {
    return [...this.entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  }
}

/** A batch of logs summed per (scope, day), coverage bucket, intent and user-day; `sign` -1 for removed logs. */
export function tallyLogs(logs: AggregatedLog[], sign: 1 | -1) {
  const days = new Tally<DayDelta>(emptyDay);
  const coverage = new Tally(() => ({ n: 0 }));
  const intents = new Tally(() => ({ n: 0 }));
  const userDays = new Tally(() => ({ n: 0 }));
  for (const l of logs) {
    const [instance, assistant, deployment] = scopeOf(l);
    const day = dayOf(l.requestTs);
    days.at([instance, assistant, deployment, day]).messages += sign;
    coverage.at([instance, assistant, deployment, day, coverageBucket(l.flags, l.topConfidence)]).n += sign;
    if (l.topIntent !== null) intents.at([instance, assistant, deployment, day, l.topIntent]).n += sign;
    if (l.userId !== null) userDays.at([instance, assistant, deployment, l.userId, day]).n += sign;
  }
  return { days, coverage, intents, userDays };
}

/** A row of metric_conversations. */
export interface ConversationRow {
  assistant_id: string; deployment: string; start_day: number; messages: number; escalated_messages: number; last_seq: number; last_flags: number;
}

/** The batch's logs grouped per conversation, each group in key (request-time) order. */
export function byConversation(logs: AggregatedLog[]): AggregatedLog[][] {
  const groups = new Tally<AggregatedLog[]>(() => []);
  for (const l of logs) groups.at([l.instanceId, l.conversationKey]).push(l);
  return groups.sorted().map(({ value }) => value.sort((x, y) => x.seq - y.seq));
}

/**
 * A conversation once `group` (its messages, in key order) was added or removed. After a removal, `needsLatest` says
 * its latest message went, so the engine must read the new latest message's key and flags into `after`.
 */
export function conversationAfter(before: ConversationRow | undefined, group: AggregatedLog[], sign: 1 | -1): { after: ConversationRow | undefined; needsLatest: boolean } {
  const first = group[0]!;
  if (sign === 1) {
    const [, assistant, deployment] = scopeOf(first);
    // A new conversation starts on the day of its earliest message in the batch.
    const after = before ? { ...before } : {
      assistant_id: assistant, deployment, start_day: dayOf(first.requestTs), messages: 0, escalated_messages: 0, last_seq: -1, last_flags: 0,
    };
    for (const l of group) {
      after.messages += 1;
      if (l.flags & ESCALATED) after.escalated_messages += 1;
      if (l.seq > after.last_seq) { after.last_seq = l.seq; after.last_flags = l.flags; }
    }
    return { after, needsLatest: false };
  }
  if (!before) return { after: undefined, needsLatest: false };
  const after = { ...before };
  for (const l of group) {
    after.messages -= 1;
    if (l.flags & ESCALATED) after.escalated_messages -= 1;
  }
  if (after.messages <= 0) return { after: undefined, needsLatest: false };
  return { after, needsLatest: group.some((l) => l.seq === before.last_seq) };
}

/** Moves a conversation (counted on its start day, with its outcome) in or out of the day tallies. */
export function countConversation(days: Tally<DayDelta>, instanceId: string, row: ConversationRow, sign: 1 | -1): void {
  const d = days.at([instanceId, row.assistant_id, row.deployment, row.start_day]);
  d.conversations += sign;
  const outcome = conversationOutcome({ messages: row.messages, escalatedMessages: row.escalated_messages, lastFlags: row.last_flags });
  if (outcome !== 'contained') d[outcome] += sign;
}
