import type { Generated } from 'kysely';

/**
 * Table shapes shared by every SQL engine. Booleans are 0/1 integers and times are epoch milliseconds in both
 * engines so the repositories above them never branch on the engine.
 */
export interface Tables {
  api_keys: {
    key_id: string;
    instance_id: string;
    name: string;
    prefix: string;
    secret_hash: string;
    privileges: string;
    created_at: number;
    revoked_at: number | null;
  };
  workspaces: {
    instance_id: string;
    workspace_id: string;
    name: string;
    description: string | null;
    language: string;
    learning_opt_out: number;
    content: string;
    created_at: number;
    updated_at: number;
  };
  assistants: {
    instance_id: string;
    assistant_id: string;
    name: string;
    description: string | null;
    language: string;
    workspace_id: string | null;
    draft_environment_id: string;
    live_environment_id: string;
    created_at: number;
    updated_at: number;
  };
  sessions: {
    instance_id: string;
    session_id: string;
    assistant_id: string;
    environment_id: string;
    context: string;
    created_at: number;
    last_active_at: number;
    expires_at: number;
  };
  logs: {
    seq: Generated<number>;
    log_id: string;
    instance_id: string;
    api: string;
    assistant_id: string | null;
    environment_id: string | null;
    workspace_id: string | null;
    session_id: string | null;
    conversation_id: string | null;
    user_id: string | null;
    customer_id: string | null;
    customer_ids: string;
    deployment: string | null;
    language: string;
    snapshot: string | null;
    top_intent: string | null;
    top_confidence: number | null;
    entities_count: number;
    input_text: string;
    learning_opt_out: number;
    request_ts: number;
    response_ts: number;
    request: string;
    response: string;
  };
  log_subjects: {
    instance_id: string;
    kind: string;
    value: string;
    seq: number;
  };
  deletion_jobs: {
    job_id: string;
    instance_id: string;
    subject_kind: string;
    subject_value: string | null;
    subject_hash: string;
    cutoff_ts: number;
    status: string;
    attempts: number;
    lease_owner: string | null;
    lease_until: number | null;
    created_at: number;
    started_at: number | null;
    finished_at: number | null;
    verified_at: number | null;
    verification: string | null;
    deleted_logs: number;
    deleted_sessions: number;
    deleted_events: number;
    error: string | null;
    requested_by: string | null;
  };
  events: {
    seq: number;
    event_id: string;
    instance_id: string;
    type: string;
    user_id: string | null;
    visitor_id: string | null;
    visit_id: string | null;
    anonymous: number;
    search_uid: string | null;
    origin_level1: string | null;
    language: string | null;
    ip_hash: string | null;
    received_ts: number;
    batch_id: string | null;
    payload: string;
  };
  event_subjects: {
    instance_id: string;
    kind: string;
    value: string;
    seq: number;
  };
  exports: {
    export_id: string;
    instance_id: string;
    status: string;
    author: string;
    description: string;
    request: string;
    created_at: number;
    finished_at: number | null;
    expires_at: number;
    size: number;
    content: Buffer | null;
    share_hash: string | null;
    shared_at: number | null;
    error: string | null;
  };
  export_subjects: {
    instance_id: string;
    kind: string;
    value: string;
    export_id: string;
  };
  instance_settings: {
    instance_id: string;
    analytics_enabled: number;
    log_retention_days: number | null;
    event_retention_days: number | null;
  };
  retention_runs: {
    run_id: string;
    instance_id: string;
    log_cutoff_ts: number | null;
    event_cutoff_ts: number | null;
    deleted_logs: number;
    deleted_sessions: number;
    deleted_events: number;
    deleted_exports: number;
    started_at: number;
    finished_at: number;
  };
  webhooks: {
    webhook_id: string;
    instance_id: string;
    url: string;
    events: string;
    secret: string;
    created_at: number;
  };
  webhook_deliveries: {
    delivery_id: string;
    webhook_id: string;
    instance_id: string;
    event: string;
    job_id: string;
    payload: string | null;
    status: string;
    attempts: number;
    next_attempt_at: number;
    lease_owner: string | null;
    lease_until: number | null;
    last_http_status: number | null;
    last_error: string | null;
    created_at: number;
    finished_at: number | null;
  };
  audit_entries: {
    instance_id: string;
    seq: number;
    entry_id: string;
    at: number;
    actor: string;
    action: string;
    target: string | null;
    details: string;
    prev_hash: string;
    hash: string;
  };
  audit_heads: {
    instance_id: string;
    seq: number;
    hash: string;
    updated_at: number;
  };
  redaction_settings: {
    instance_id: string;
    /** JSON array of the enabled detector names. */
    detectors: string;
    updated_at: number;
  };
  secrets: {
    name: string;
    value: string;
  };
  schema_migrations: {
    version: number;
    applied_at: number;
  };
  log_annotations: {
    log_id: string;
    instance_id: string;
    assistant_id: string;
    deployment: string;
    request_ts: number;
    top_intent: string | null;
    verdict: string;
    root_cause: string | null;
    corrected_intent: string | null;
    note: string | null;
    author: string;
    created_at: number;
    updated_at: number;
  };
}
