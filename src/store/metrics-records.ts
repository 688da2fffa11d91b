/** Shapes of the metrics and annotation repositories (see store.ts). Days are UTC days since the epoch. */

export interface MetricsScope {
  instanceId: string;
  /** Inclusive range of days. */
  fromDay: number;
  toDay: number;
  /** Only this assistant ('' : messages without one) / deployment; undefined: all. */
  assistantId?: string;
  deployment?: string;
}

export interface MetricCounts {
  messages: number;
  conversations: number;
  escalated: number;
  abandoned: number;
  /** Messages in coverage buckets at or above the requested one. */
  coveredMessages: number;
  users: number;
}

export interface MetricsTotals {
  /** Totals over the range; `users` counts each user once. */
  totals: MetricCounts;
  /** Per day with any data; `users` there sums the distinct users of each (assistant, deployment) scope. */
  days: (MetricCounts & { day: number })[];
  topIntents: { intent: string; messages: number }[];
}

export interface MetricsRepository {
  totals(scope: MetricsScope, opts: { firstCoveredBucket: number; topIntents: number }): Promise<MetricsTotals>;
}

export const ROOT_CAUSES = ['wrong_intent', 'missing_intent', 'out_of_scope', 'entity_error', 'dialog_error', 'response_error', 'other'] as const;
export type RootCause = (typeof ROOT_CAUSES)[number];
export type Verdict = 'correct' | 'incorrect';

export interface AnnotationRecord {
  logId: string;
  instanceId: string;
  /** Copied from the log so effectiveness reports filter without reading logs. */
  assistantId: string | null;
  deployment: string | null;
  requestTs: number;
  topIntent: string | null;
  verdict: Verdict;
  rootCause: RootCause | null;
  correctedIntent: string | null;
  note: string | null;
  /** The API key (id) that wrote it. */
  author: string;
  createdAt: number;
  updatedAt: number;
}

export interface AnnotationInput {
  verdict: Verdict;
  rootCause: RootCause | null;
  correctedIntent: string | null;
  note: string | null;
  author: string;
  at: number;
}

/** Annotations grouped by what effectiveness reports on. */
export interface AnnotationTally {
  topIntent: string | null;
  verdict: Verdict;
  rootCause: RootCause | null;
  correctedIntent: string | null;
  count: number;
}

export interface AnnotationRepository {
  /** Creates or replaces the annotation of a log of the instance; undefined when there is no such log. */
  put(instanceId: string, logId: string, input: AnnotationInput): Promise<{ annotation: AnnotationRecord; created: boolean } | undefined>;
  /** The annotations of those logs of the instance that have one (at most one each). */
  forLogs(instanceId: string, logIds: string[]): Promise<AnnotationRecord[]>;
  tally(scope: MetricsScope): Promise<AnnotationTally[]>;
}
