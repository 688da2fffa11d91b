import type pg from 'pg';
import {
  aggregatedLogFromRow, byConversation, conversationAfter, countConversation, tallyLogs, Tally,
  type AggregatedLog, type ConversationRow, type DayDelta, type RemovedLogRow,
} from '../metric-arithmetic.js';

/**
 * The metric aggregates of migration 6 on PostgreSQL: the arithmetic of ../metric-arithmetic.ts, run in
 * the caller's transaction after every change to the logs. Several processes write at once here, so:
 * - counters move by atomic upserts (`messages = messages + excluded.messages`), applied in key order so two
 *   transactions lock the same rows in the same order;
 * - a conversation's summary is read, re-judged and written back under a transaction-scoped advisory lock on the
 *   conversation (taken in key order), so two batches of one conversation never overwrite each other's counts;
 * - a user-day's row count returned by its upsert says whether this transaction created or emptied it.
 * Every path that removes log rows calls `logsRemoved` with the rows as they were, which also deletes their reviews.
 */
export interface PgLogAggregates {
  logsAdded(client: pg.PoolClient, logs: AggregatedLog[]): Promise<void>;
  logsRemoved(client: pg.PoolClient, rows: RemovedLogRow[]): Promise<void>;
}

type Key = (string | number)[];

/** Column arrays for unnest: the i-th entry of every key, then the value columns. */
function columns(rows: { key: Key }[], values: (row: { key: Key }) => (number | string)[]): (string | number)[][] {
  const width = (rows[0]?.key.length ?? 0) + (rows[0] ? values(rows[0]).length : 0);
  return Array.from({ length: width }, (_, i) => rows.map((r) => [...r.key, ...values(r)][i]!));
}

export function createPgLogAggregates(): PgLogAggregates {
  async function conversationsChanged(client: pg.PoolClient, logs: AggregatedLog[], sign: 1 | -1, days: Tally<DayDelta>): Promise<void> {
    for (const group of byConversation(logs)) {
      const { instanceId, conversationKey } = group[0]!;
      // Groups come in key order, so two transactions take their conversation locks in the same order.
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 6))', [JSON.stringify([instanceId, conversationKey])]);
      const { rows: [found] } = await client.query<ConversationRow>(
        `SELECT assistant_id, deployment, start_day, messages, escalated_messages, last_seq, last_flags FROM metric_conversations
         WHERE instance_id = $1 AND conversation_key = $2`, [instanceId, conversationKey]);
      const before = found && { ...found, messages: Number(found.messages), escalated_messages: Number(found.escalated_messages), last_seq: Number(found.last_seq) };
      const { after, needsLatest } = conversationAfter(before, group, sign);
      if (after && needsLatest) {
        const { rows: [latest] } = await client.query<{ seq: string; metric_flags: number }>(
          'SELECT seq, metric_flags FROM logs WHERE instance_id = $1 AND conversation_id = $2 ORDER BY seq DESC LIMIT 1', [instanceId, conversationKey]);
        if (latest) { after.last_seq = Number(latest.seq); after.last_flags = latest.metric_flags; }
      }
      if (before) countConversation(days, instanceId, before, -1);
      if (after) {
        countConversation(days, instanceId, after, 1);
        await client.query(
          `INSERT INTO metric_conversations (instance_id, conversation_key, assistant_id, deployment, start_day, messages, escalated_messages, last_seq, last_flags)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (instance_id, conversation_key) DO UPDATE SET messages = excluded.messages,
             escalated_messages = excluded.escalated_messages, last_seq = excluded.last_seq, last_flags = excluded.last_flags`,
          [instanceId, conversationKey, after.assistant_id, after.deployment, after.start_day, after.messages, after.escalated_messages, after.last_seq, after.last_flags],
        );
      } else if (before) {
        await client.query('DELETE FROM metric_conversations WHERE instance_id = $1 AND conversation_key = $2', [instanceId, conversationKey]);
      }
    }
  }

  async function userDaysChanged(client: pg.PoolClient, userDays: Tally<{ n: number }>, sign: 1 | -1, days: Tally<DayDelta>): Promise<void> {
    const rows = userDays.sorted();
    if (!rows.length) return;
    const { rows: totals } = await client.query<{ instance_id: string; assistant_id: string; deployment: string; user_id: string; day: number; messages: string }>(
      `INSERT INTO metric_user_days (instance_id, assistant_id, deployment, user_id, day, messages)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int4[], $6::int8[])
       ON CONFLICT (instance_id, assistant_id, deployment, user_id, day) DO UPDATE SET messages = metric_user_days.messages + excluded.messages
       RETURNING instance_id, assistant_id, deployment, user_id, day, messages`,
      columns(rows, (r) => [userDays.at(r.key).n]),
    );
    for (const t of totals) {
      const delta = userDays.at([t.instance_id, t.assistant_id, t.deployment, t.user_id, t.day]).n;
      const messages = Number(t.messages);
      const key = [t.instance_id, t.assistant_id, t.deployment, t.user_id];
      if (sign === 1 && messages === delta) {
        days.at([t.instance_id, t.assistant_id, t.deployment, t.day]).users += 1;
        await client.query(
          `INSERT INTO metric_users (instance_id, assistant_id, deployment, user_id, first_day, last_day) VALUES ($1, $2, $3, $4, $5, $5)
           ON CONFLICT (instance_id, assistant_id, deployment, user_id) DO UPDATE SET
             first_day = least(metric_users.first_day, excluded.first_day), last_day = greatest(metric_users.last_day, excluded.last_day)`,
          [...key, t.day],
        );
      } else if (sign === -1 && messages <= 0) {
        days.at([t.instance_id, t.assistant_id, t.deployment, t.day]).users -= 1;
        await client.query('DELETE FROM metric_user_days WHERE instance_id = $1 AND assistant_id = $2 AND deployment = $3 AND user_id = $4 AND day = $5', [...key, t.day]);
        const { rows: [span] } = await client.query<{ first: number | null; last: number | null }>(
          'SELECT min(day) AS first, max(day) AS last FROM metric_user_days WHERE instance_id = $1 AND assistant_id = $2 AND deployment = $3 AND user_id = $4', key);
        if (span?.first === null || span?.first === undefined) {
          await client.query('DELETE FROM metric_users WHERE instance_id = $1 AND assistant_id = $2 AND deployment = $3 AND user_id = $4', key);
        } else {
          await client.query('UPDATE metric_users SET first_day = $5, last_day = $6 WHERE instance_id = $1 AND assistant_id = $2 AND deployment = $3 AND user_id = $4',
            [...key, span.first, span.last]);
        }
      }
    }
  }

  /** Adds `deltas` to a counter table (one statement), then, after removals, drops the rows left empty. */
  async function addCounts(client: pg.PoolClient, table: 'metric_coverage' | 'metric_intents', keyColumn: 'bucket' | 'intent', tally: Tally<{ n: number }>, sign: 1 | -1) {
    const rows = tally.sorted();
    if (!rows.length) return;
    const keyType = keyColumn === 'bucket' ? 'int4' : 'text';
    const params = columns(rows, (r) => [tally.at(r.key).n]);
    // Table and column names are fixed strings of this module.
    await client.query(
      `INSERT INTO ${table} (instance_id, assistant_id, deployment, day, ${keyColumn}, messages)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int4[], $5::${keyType}[], $6::int8[])
       ON CONFLICT (instance_id, day, assistant_id, deployment, ${keyColumn}) DO UPDATE SET messages = ${table}.messages + excluded.messages`,
      params,
    );
    if (sign === -1) {
      await client.query(
        `DELETE FROM ${table} t USING unnest($1::text[], $2::text[], $3::text[], $4::int4[], $5::${keyType}[]) AS k(instance_id, assistant_id, deployment, day, key)
         WHERE t.instance_id = k.instance_id AND t.assistant_id = k.assistant_id AND t.deployment = k.deployment AND t.day = k.day
           AND t.${keyColumn} = k.key AND t.messages <= 0`,
        params.slice(0, 5),
      );
    }
  }

  async function apply(client: pg.PoolClient, logs: AggregatedLog[], sign: 1 | -1): Promise<void> {
    if (logs.length === 0) return;
    const { days, coverage, intents, userDays } = tallyLogs(logs, sign);
    await userDaysChanged(client, userDays, sign, days);
    await conversationsChanged(client, logs, sign, days);
    const dayRows = days.sorted();
    const dayParams = columns(dayRows, (r) => {
      const d = days.at(r.key);
      return [d.messages, d.conversations, d.escalated, d.abandoned, d.users];
    });
    await client.query(
      `INSERT INTO metric_days (instance_id, assistant_id, deployment, day, messages, conversations, escalated, abandoned, users)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int4[], $5::int8[], $6::int8[], $7::int8[], $8::int8[], $9::int8[])
       ON CONFLICT (instance_id, day, assistant_id, deployment) DO UPDATE SET messages = metric_days.messages + excluded.messages,
         conversations = metric_days.conversations + excluded.conversations, escalated = metric_days.escalated + excluded.escalated,
         abandoned = metric_days.abandoned + excluded.abandoned, users = metric_days.users + excluded.users`,
      dayParams,
    );
    if (sign === -1) {
      await client.query(
        `DELETE FROM metric_days t USING unnest($1::text[], $2::text[], $3::text[], $4::int4[]) AS k(instance_id, assistant_id, deployment, day)
         WHERE t.instance_id = k.instance_id AND t.assistant_id = k.assistant_id AND t.deployment = k.deployment AND t.day = k.day
           AND t.messages <= 0 AND t.conversations <= 0`,
        dayParams.slice(0, 4),
      );
    }
    await addCounts(client, 'metric_coverage', 'bucket', coverage, sign);
    await addCounts(client, 'metric_intents', 'intent', intents, sign);
  }

  return {
    logsAdded: (client, logs) => apply(client, logs, 1),
    async logsRemoved(client, rows) {
      if (!rows.length) return;
      const logs = rows.map((r) => aggregatedLogFromRow({ ...r, seq: Number(r.seq), request_ts: Number(r.request_ts) }));
      await apply(client, logs, -1);
      await client.query('DELETE FROM log_annotations WHERE log_id = ANY($1::text[])', [rows.map((r) => r.log_id)]);
    },
  };
}
