/** The JSON shapes the dashboard reads, as the server's routes answer them. */

export interface LogRow {
  log_id: string;
  api: 'v1' | 'v2';
  request_timestamp: string;
  response_timestamp: string;
  workspace_id: string | null;
  assistant_id: string | null;
  session_id: string | null;
  conversation_id: string | null;
  user_id: string | null;
  customer_ids: string[];
  language: string;
  input_text: string;
  output_text: string[];
  top_intent: string | null;
  top_confidence: number | null;
  annotation: Review | null;
}

/** README "Annotations": why an answer was wrong. */
export const ROOT_CAUSES = {
  wrong_intent: 'Wrong intent',
  missing_intent: 'Missing intent (none covers it yet)',
  out_of_scope: 'Out of scope',
  entity_error: 'Entity error',
  dialog_error: 'Dialog error (right intent, wrong flow)',
  response_error: 'Response error (right node, wrong answer)',
  other: 'Other',
} as const;
export type RootCause = keyof typeof ROOT_CAUSES;

/** A reviewer's verdict on one logged answer. */
export interface Review {
  verdict: 'correct' | 'incorrect';
  root_cause: RootCause | null;
  corrected_intent: string | null;
  note: string | null;
  updated: string;
}

export interface LogPage {
  logs: LogRow[];
  next_cursor: string | null;
}

export type SubjectKind = 'customer_id' | 'user_id' | 'visitor_id';
export interface Subject {
  kind: SubjectKind;
  value: string;
}

export type JobStatus = 'queued' | 'running' | 'verifying' | 'completed' | 'failed' | 'cancelled';
export interface Job {
  job_id: string;
  status: JobStatus;
  subject: { kind: string; hash: string };
  cutoff: string | null;
  created: string | null;
  started: string | null;
  completed: string | null;
  verified: string | null;
  attempts: number;
  deleted: { logs: number; sessions: number; events: number };
  verification: Record<string, number> | null;
  error: string | null;
}

export interface Holdings {
  logs: number;
  events: number;
  exports: number;
}

export interface SubjectFound {
  subject: { kind: string; hash: string };
  holdings: Holdings;
  deletion_jobs: Job[];
}

/** The access document: the head, then every record held, by section. */
export interface AccessDocument {
  generated: string;
  holdings: Holdings;
  logs: {
    log_id: string; request_timestamp: string; conversation_id: string | null; customer_ids: string[]; user_id: string | null;
    request: { input?: { text?: string } };
    response: { output?: { text?: string[]; generic?: { text?: string }[] } };
  }[];
  events: { event_id: string; type: string; received: string; user_id: string | null; visitor_id: string | null; anonymous: boolean }[];
  exports: { export_id: string; status: string; description: string | null; created: string; expires: string | null }[];
  deletion_jobs: Job[];
}

export interface ApiKey {
  key_id: string;
  instance_id: string;
  name: string;
  prefix: string;
  privileges: string[];
  created: string;
  revoked: string | null;
}

/** Rates are null when there is nothing to divide by (no message, no conversation). */
export interface MetricRates {
  messages: number;
  conversations: number;
  coverage: number | null;
  containment: number | null;
  escalation: number | null;
  abandonment: number | null;
  outcomes: { contained: number; escalated: number; abandoned: number };
  covered_messages: number;
  unique_users: number;
}

export interface MetricsOverview extends MetricRates {
  from: string;
  to: string;
  coverage_threshold: number;
  conversations_per_user: number | null;
  top_intents: { intent: string; messages: number }[];
  days: (MetricRates & { date: string })[];
}

export interface Effectiveness {
  from: string;
  to: string;
  annotated: number;
  correct: number;
  incorrect: number;
  accuracy: number | null;
  root_causes: Record<RootCause, number>;
  /** Per detected intent (null: none), most annotated first. */
  intents: { intent: string | null; annotated: number; correct: number; precision: number | null }[];
  /** Corrected intents of incorrect answers, most frequent first. */
  missed_intents: { intent: string; messages: number }[];
}

export interface AuditEntry {
  seq: number;
  entry_id: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, string | number | boolean | null>;
  prev_hash: string;
  hash: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  next_before: number | null;
}

export interface AuditVerification {
  instance_id: string;
  ok: boolean;
  entries: number;
  head: { seq: number; hash: string; anchor: string };
  broken: false | null | { seq: number; entry_id: string; problem: string; message: string };
}
