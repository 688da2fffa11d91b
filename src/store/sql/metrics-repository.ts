import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { MetricCounts, MetricsScope } from '../../model/metrics.js';
import type { MetricsRepository } from '../store.js';
import type { Tables } from './tables.js';

/** Reads the pre-computed metric_* tables (maintained by the engine's log-aggregates); never the logs. */
export function sqlMetricsRepository(db: Kysely<Tables>): MetricsRepository {
  const scopeOnly = (s: MetricsScope, alias: string): RawBuilder<boolean>[] => {
    const c = (name: string) => sql.ref(`${alias}.${name}`);
    const conditions = [sql<boolean>`${c('instance_id')} = ${s.instanceId}`];
    if (s.assistantId !== undefined) conditions.push(sql<boolean>`${c('assistant_id')} = ${s.assistantId}`);
    if (s.deployment !== undefined) conditions.push(sql<boolean>`${c('deployment')} = ${s.deployment}`);
    return conditions;
  };
  const and = (conditions: RawBuilder<boolean>[]) => sql<boolean>`${sql.join(conditions, sql` AND `)}`;
  const where = (s: MetricsScope, alias: string) =>
    and([...scopeOnly(s, alias), sql<boolean>`${sql.ref(`${alias}.day`)} BETWEEN ${s.fromDay} AND ${s.toDay}`]);

  return {
    async totals(s, opts) {
      const [days, covered, intents, users] = await Promise.all([
        sql<{ day: number; messages: number; conversations: number; escalated: number; abandoned: number; users: number }>`
          SELECT d.day, sum(d.messages) AS messages, sum(d.conversations) AS conversations, sum(d.escalated) AS escalated,
            sum(d.abandoned) AS abandoned, sum(d.users) AS users
          FROM metric_days d WHERE ${where(s, 'd')} GROUP BY d.day ORDER BY d.day`.execute(db),
        sql<{ day: number; messages: number }>`
          SELECT c.day, sum(c.messages) AS messages FROM metric_coverage c
          WHERE ${where(s, 'c')} AND c.bucket >= ${opts.firstCoveredBucket} GROUP BY c.day`.execute(db),
        sql<{ intent: string; messages: number }>`
          SELECT i.intent, sum(i.messages) AS messages FROM metric_intents i WHERE ${where(s, 'i')}
          GROUP BY i.intent ORDER BY messages DESC, i.intent LIMIT ${opts.topIntents}`.execute(db),
        // A user seen on a day of the range: first or last day inside it, or spanning it with a day inside.
        sql<{ users: number }>`
          SELECT count(DISTINCT u.user_id) AS users FROM metric_users u
          WHERE ${and(scopeOnly(s, 'u'))} AND u.first_day <= ${s.toDay} AND u.last_day >= ${s.fromDay}
            AND (u.first_day >= ${s.fromDay} OR u.last_day <= ${s.toDay} OR EXISTS (
              SELECT 1 FROM metric_user_days p WHERE p.instance_id = u.instance_id AND p.assistant_id = u.assistant_id
                AND p.deployment = u.deployment AND p.user_id = u.user_id AND p.day BETWEEN ${s.fromDay} AND ${s.toDay}))`.execute(db),
      ]);
      const coveredByDay = new Map(covered.rows.map((r) => [Number(r.day), Number(r.messages)]));
      const series = days.rows.map((r) => ({
        day: Number(r.day), messages: Number(r.messages), conversations: Number(r.conversations), escalated: Number(r.escalated),
        abandoned: Number(r.abandoned), coveredMessages: coveredByDay.get(Number(r.day)) ?? 0, users: Number(r.users),
      }));
      const totals: MetricCounts = { messages: 0, conversations: 0, escalated: 0, abandoned: 0, coveredMessages: 0, users: Number(users.rows[0]?.users ?? 0) };
      for (const d of series) {
        totals.messages += d.messages;
        totals.conversations += d.conversations;
        totals.escalated += d.escalated;
        totals.abandoned += d.abandoned;
        totals.coveredMessages += d.coveredMessages;
      }
      return { totals, days: series, topIntents: intents.rows.map((r) => ({ intent: r.intent, messages: Number(r.messages) })) };
    },
  };
}
