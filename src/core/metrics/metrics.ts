import { BadRequest, NotFound } from '../../model/errors.js';
import { type AnnotationRecord, type AnnotationTally, ROOT_CAUSES, type RootCause, type Verdict } from '../../model/annotations.js';
import type { MetricCounts, MetricsScope } from '../../model/metrics.js';
import type { Store } from '../../store/store.js';
import { DEFAULT_COVERAGE_THRESHOLD, firstCoveredBucket } from '../../model/coverage.js';

const DAY = 86_400_000;
export const DEFAULT_RANGE_DAYS = 30;
export const TOP_INTENTS = 10;
/** Ten years: the per-day series has one entry per day of the range. */
export const MAX_RANGE_DAYS = 3660;

export interface MetricsRequest {
  instanceId: string;
  /** ISO date or date-time; the whole UTC day it falls on is included. */
  from?: string | undefined;
  to?: string | undefined;
  assistantId?: string | undefined;
  deployment?: string | undefined;
  coverageThreshold?: number | undefined;
}

const isoDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function parseDay(value: string, name: string): number {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms)) throw new BadRequest(`${name} must be an ISO date (YYYY-MM-DD) or date-time`);
  return Math.floor(ms / DAY);
}

/** The rates of one set of counts; see README "Metrics" for the definitions. */
function rates(c: MetricCounts) {
  const contained = c.conversations - c.escalated - c.abandoned;
  return {
    messages: c.messages,
    conversations: c.conversations,
    coverage: ratio(c.coveredMessages, c.messages),
    containment: ratio(contained, c.conversations),
    escalation: ratio(c.escalated, c.conversations),
    abandonment: ratio(c.abandoned, c.conversations),
    outcomes: { contained, escalated: c.escalated, abandoned: c.abandoned },
    covered_messages: c.coveredMessages,
  };
}

/** The series with the days without messages filled in, so a chart's x axis is the range itself. */
function everyDay(scope: MetricsScope, days: (MetricCounts & { day: number })[]): (MetricCounts & { day: number })[] {
  const byDay = new Map(days.map((d) => [d.day, d]));
  const series: (MetricCounts & { day: number })[] = [];
  for (let day = scope.fromDay; day <= scope.toDay; day++) {
    series.push(byDay.get(day) ?? { day, messages: 0, conversations: 0, escalated: 0, abandoned: 0, coveredMessages: 0, users: 0 });
  }
  return series;
}

/** Metrics over the pre-computed aggregates, and effectiveness from annotations. */
export class Metrics {
  constructor(private readonly store: Store, private readonly defaultThreshold = DEFAULT_COVERAGE_THRESHOLD) {}

  scope(r: MetricsRequest, now: number): MetricsScope {
    const toDay = r.to === undefined ? Math.floor(now / DAY) : parseDay(r.to, 'to');
    const fromDay = r.from === undefined ? toDay - (DEFAULT_RANGE_DAYS - 1) : parseDay(r.from, 'from');
    if (fromDay > toDay) throw new BadRequest('from must not be after to');
    if (toDay - fromDay >= MAX_RANGE_DAYS) throw new BadRequest(`the range may span at most ${MAX_RANGE_DAYS} days`);
    return {
      instanceId: r.instanceId, fromDay, toDay,
      ...(r.assistantId !== undefined ? { assistantId: r.assistantId } : {}),
      ...(r.deployment !== undefined ? { deployment: r.deployment } : {}),
    };
  }

  async overview(r: MetricsRequest, now: number) {
    const threshold = r.coverageThreshold ?? this.defaultThreshold;
    if (!(threshold >= 0 && threshold <= 1)) throw new BadRequest('coverage_threshold must be between 0 and 1');
    const scope = this.scope(r, now);
    const { totals, days, topIntents } = await this.store.metrics.totals(scope, { firstCoveredBucket: firstCoveredBucket(threshold), topIntents: TOP_INTENTS });
    return {
      from: isoDay(scope.fromDay), to: isoDay(scope.toDay), assistant_id: r.assistantId ?? null, deployment: r.deployment ?? null,
      coverage_threshold: firstCoveredBucket(threshold) / 100,
      ...rates(totals),
      unique_users: totals.users,
      conversations_per_user: ratio(totals.conversations, totals.users),
      top_intents: topIntents,
      days: everyDay(scope, days).map((d) => ({ date: isoDay(d.day), ...rates(d), unique_users: d.users })),
    };
  }

  async annotate(instanceId: string, logId: string, a: { verdict: Verdict; rootCause: RootCause | null; correctedIntent: string | null; note: string | null; author: string }, now: number) {
    if (a.verdict === 'incorrect' && a.rootCause === null) throw new BadRequest(`root_cause is required when verdict is incorrect: one of ${ROOT_CAUSES.join(', ')}`);
    if (a.verdict === 'correct' && (a.rootCause !== null || a.correctedIntent !== null)) {
      throw new BadRequest('root_cause and corrected_intent apply to incorrect answers only');
    }
    const result = await this.store.annotations.put(instanceId, logId, { ...a, at: now });
    if (!result) throw new NotFound(`Log not found: ${logId}`);
    return result;
  }

  /** The annotations of those of the logs that have one; another instance's logs have none. */
  async annotations(instanceId: string, logIds: string[]): Promise<AnnotationRecord[]> {
    return this.store.annotations.forLogs(instanceId, logIds);
  }

  async effectiveness(r: MetricsRequest, now: number) {
    const scope = this.scope(r, now);
    return { from: isoDay(scope.fromDay), to: isoDay(scope.toDay), ...effectivenessOf(await this.store.annotations.tally(scope)) };
  }
}

/**
 * The Effectiveness notebook's report from annotated messages: accuracy over all of them; per detected intent, how
 * often it was right (a precision); per corrected intent, how often the assistant missed it; and the root causes.
 */
export function effectivenessOf(tallies: AnnotationTally[]) {
  let annotated = 0;
  let correct = 0;
  const intents = new Map<string, { annotated: number; correct: number }>();
  const missed = new Map<string, number>();
  const causes = Object.fromEntries(ROOT_CAUSES.map((c) => [c, 0])) as Record<RootCause, number>;
  for (const t of tallies) {
    annotated += t.count;
    if (t.verdict === 'correct') correct += t.count;
    const key = t.topIntent ?? '';
    const i = intents.get(key) ?? { annotated: 0, correct: 0 };
    i.annotated += t.count;
    if (t.verdict === 'correct') i.correct += t.count;
    intents.set(key, i);
    if (t.rootCause) causes[t.rootCause] += t.count;
    if (t.verdict === 'incorrect' && t.correctedIntent) missed.set(t.correctedIntent, (missed.get(t.correctedIntent) ?? 0) + t.count);
  }
  return {
    annotated, correct, incorrect: annotated - correct, accuracy: ratio(correct, annotated),
    root_causes: causes,
    intents: [...intents].map(([intent, i]) => ({ intent: intent === '' ? null : intent, annotated: i.annotated, correct: i.correct, precision: ratio(i.correct, i.annotated) }))
      .sort((a, b) => b.annotated - a.annotated || String(a.intent).localeCompare(String(b.intent))),
    missed_intents: [...missed].map(([intent, n]) => ({ intent, messages: n })).sort((a, b) => b.messages - a.messages || a.intent.localeCompare(b.intent)),
  };
}
