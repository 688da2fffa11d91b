import type Database from 'better-sqlite3';
import {
  byConversation, conversationAfter, countConversation, tallyLogs, Tally, type AggregatedLog, type ConversationRow, type DayDelta,
} from '../metric-arithmetic.js';

/**
 * The pre-computed metrics (metric_* tables of migration 6), kept exact in the same transaction as every change to
 * the logs: `logsAdded` after an ingest batch, `logsRemoved` after any deletion of log rows. Each call aggregates its
 * rows in memory first, so a batch costs one upsert per (scope, day), per user-day and per conversation it touches.
 */
export interface LogAggregates {
  /** After appending log rows (in seq order), in the same transaction. */
  logsAdded(logs: AggregatedLog[]): void;
  /**
   * "Log rows removed → aggregates adjusted": call after deleting log rows, in the same transaction, with the rows
   * as they were (REMOVED_LOG_COLUMNS). Every path that removes logs (subject deletion, retention) goes through it;
   * it also erases the per-user and per-conversation rows the removed logs were the last to support.
   */
  logsRemoved(logs: AggregatedLog[]): void;
}

export function createLogAggregates(db: Database.Database): LogAggregates {
  const upsertDay = db.prepare(
    `INSERT INTO metric_days (instance_id, assistant_id, deployment, day, messages, conversations, escalated, abandoned, users)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (instance_id, day, assistant_id, deployment) DO UPDATE SET messages = messages + excluded.messages,
       conversations = conversations + excluded.conversations, escalated = escalated + excluded.escalated,
       abandoned = abandoned + excluded.abandoned, users = users + excluded.users`,
  );
  const dropEmptyDay = db.prepare('DELETE FROM metric_days WHERE instance_id = ? AND day = ? AND assistant_id = ? AND deployment = ? AND messages <= 0 AND conversations <= 0');
  const upsertCoverage = db.prepare(
    `INSERT INTO metric_coverage (instance_id, assistant_id, deployment, day, bucket, messages) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (instance_id, day, assistant_id, deployment, bucket) DO UPDATE SET messages = messages + excluded.messages`,
  );
  const dropEmptyCoverage = db.prepare('DELETE FROM metric_coverage WHERE instance_id = ? AND day = ? AND assistant_id = ? AND deployment = ? AND bucket = ? AND messages <= 0');
  const upsertIntent = db.prepare(
    `INSERT INTO metric_intents (instance_id, assistant_id, deployment, day, intent, messages) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (instance_id, day, assistant_id, deployment, intent) DO UPDATE SET messages = messages + excluded.messages`,
  );
  const dropEmptyIntent = db.prepare('DELETE FROM metric_intents WHERE instance_id = ? AND day = ? AND assistant_id = ? AND deployment = ? AND intent = ? AND messages <= 0');
  const upsertUserDay = db.prepare(
    `INSERT INTO metric_user_days (instance_id, assistant_id, deployment, user_id, day, messages) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (instance_id, assistant_id, deployment, user_id, day) DO UPDATE SET messages = messages + excluded.messages
     RETURNING messages`,
  );
  const deleteUserDay = db.prepare('DELETE FROM metric_user_days WHERE instance_id = ? AND assistant_id = ? AND deployment = ? AND user_id = ? AND day = ?');
  const upsertUser = db.prepare(
    `INSERT INTO metric_users (instance_id, assistant_id, deployment, user_id, first_day, last_day) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (instance_id, assistant_id, deployment, user_id) DO UPDATE SET
       first_day = min(first_day, excluded.first_day), last_day = max(last_day, excluded.last_day)`,
  );
  const userSpan = db.prepare(
    'SELECT min(day) AS first, max(day) AS last FROM metric_user_days WHERE instance_id = ? AND assistant_id = ? AND deployment = ? AND user_id = ?',
  );
  const setUserSpan = db.prepare('UPDATE metric_users SET first_day = ?, last_day = ? WHERE instance_id = ? AND assistant_id = ? AND deployment = ? AND user_id = ?');
  const deleteUser = db.prepare('DELETE FROM metric_users WHERE instance_id = ? AND assistant_id = ? AND deployment = ? AND user_id = ?');
  const getConversation = db.prepare(
    'SELECT assistant_id, deployment, start_day, messages, escalated_messages, last_seq, last_flags FROM metric_conversations WHERE instance_id = ? AND conversation_key = ?',
  );
  const putConversation = db.prepare(
    `INSERT INTO metric_conversations (instance_id, conversation_key, assistant_id, deployment, start_day, messages, escalated_messages, last_seq, last_flags)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (instance_id, conversation_key) DO UPDATE SET messages = excluded.messages,
       escalated_messages = excluded.escalated_messages, last_seq = excluded.last_seq, last_flags = excluded.last_flags`,
  );
  const deleteConversation = db.prepare('DELETE FROM metric_conversations WHERE instance_id = ? AND conversation_key = ?');
  const latestOfConversation = db.prepare(
    'SELECT seq, metric_flags FROM logs WHERE instance_id = ? AND conversation_id = ? ORDER BY seq DESC LIMIT 1',
  );

  /** Folds the messages of each conversation in, re-judging it, and moves its outcome count if it changed. */
  function conversationsChanged(logs: AggregatedLog[], sign: 1 | -1, days: Tally<DayDelta>): void {
    for (const group of byConversation(logs)) {
      const { instanceId, conversationKey } = group[0]!;
      const before = getConversation.get(instanceId, conversationKey) as ConversationRow | undefined;
      const { after, needsLatest } = conversationAfter(before, group, sign);
      if (after && needsLatest) {
        const latest = latestOfConversation.get(instanceId, conversationKey) as { seq: number; metric_flags: number } | undefined;
        if (latest) { after.last_seq = latest.seq; after.last_flags = latest.metric_flags; }
      }
      if (before) countConversation(days, instanceId, before, -1);
      if (after) {
        countConversation(days, instanceId, after, 1);
        putConversation.run(instanceId, conversationKey, after.assistant_id, after.deployment, after.start_day, after.messages,
          after.escalated_messages, after.last_seq, after.last_flags);
      } else if (before) {
        deleteConversation.run(instanceId, conversationKey);
      }
    }
  }

  function apply(logs: AggregatedLog[], sign: 1 | -1): void {
    if (logs.length === 0) return;
    const { days, coverage, intents, userDays } = tallyLogs(logs, sign);
    for (const { key, value } of userDays.sorted()) {
      const [instance, assistant, deployment, user, day] = key as [string, string, string, string, number];
      const { messages } = upsertUserDay.get(instance, assistant, deployment, user, day, value.n) as { messages: number };
      if (sign === 1 && messages === value.n) {
        days.at([instance, assistant, deployment, day]).users += 1;
        upsertUser.run(instance, assistant, deployment, user, day, day);
      } else if (sign === -1 && messages <= 0) {
        days.at([instance, assistant, deployment, day]).users -= 1;
        deleteUserDay.run(instance, assistant, deployment, user, day);
        const span = userSpan.get(instance, assistant, deployment, user) as { first: number | null; last: number | null };
        if (span.first === null) deleteUser.run(instance, assistant, deployment, user);
        else setUserSpan.run(span.first, span.last, instance, assistant, deployment, user);
      }
    }
    conversationsChanged(logs, sign, days);
    for (const { key, value: d } of days.sorted()) {
      const [instance, assistant, deployment, day] = key as [string, string, string, number];
      upsertDay.run(instance, assistant, deployment, day, d.messages, d.conversations, d.escalated, d.abandoned, d.users);
      if (sign === -1) dropEmptyDay.run(instance, day, assistant, deployment);
    }
    for (const { key, value } of coverage.sorted()) {
      const [instance, assistant, deployment, day, bucket] = key as [string, string, string, number, number];
      upsertCoverage.run(instance, assistant, deployment, day, bucket, value.n);
      if (sign === -1) dropEmptyCoverage.run(instance, day, assistant, deployment, bucket);
    }
    for (const { key, value } of intents.sorted()) {
      const [instance, assistant, deployment, day, intent] = key as [string, string, string, number, string];
      upsertIntent.run(instance, assistant, deployment, day, intent, value.n);
      if (sign === -1) dropEmptyIntent.run(instance, day, assistant, deployment, intent);
    }
  }

  return {
    logsAdded: (logs) => apply(logs, 1),
    logsRemoved: (logs) => apply(logs, -1),
  };
}
