/** What the metric aggregates are asked for and answer. Days are UTC days since the epoch. */
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
