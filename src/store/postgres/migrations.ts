import type pg from 'pg';
import { SHORTEN_KEY_PREFIXES } from '../sql/key-prefix-migration.js';

/**
 * Ordered, append-only schema changes for PostgreSQL, numbered like the SQLite ones (src/store/sqlite/migrations.ts)
 * so version N means the same schema on both engines; versions that change only SQLite's full-text index (8, 9) have
 * no counterpart here. A released migration is never edited: add a new one.
 *
 * Every table that holds per-instance data leads its primary key and indexes with `instance_id`, the distribution
 * column when the schema is sharded with Citus (README, "PostgreSQL"). Logs, events and their subject indexes are
 * partitioned by month of their time-ordered key (src/model/log-sequence.ts); partitions are created on demand
 * (partitions.ts), so retention can drop whole months.
 */
export const PG_MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE secrets (name text PRIMARY KEY, value text NOT NULL);

      CREATE TABLE api_keys (
        key_id text PRIMARY KEY,
        instance_id text NOT NULL,
        name text NOT NULL,
        prefix text NOT NULL,
        secret_hash text NOT NULL UNIQUE,
        privileges text NOT NULL,
        created_at bigint NOT NULL,
        revoked_at bigint
      );
      CREATE INDEX api_keys_instance ON api_keys (instance_id, created_at);

      CREATE TABLE workspaces (
        instance_id text NOT NULL,
        workspace_id text NOT NULL,
        name text NOT NULL,
        description text,
        language text NOT NULL,
        learning_opt_out integer NOT NULL,
        content text NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        PRIMARY KEY (instance_id, workspace_id)
      );

      CREATE TABLE assistants (
        instance_id text NOT NULL,
        assistant_id text NOT NULL,
        name text NOT NULL,
        description text,
        language text NOT NULL,
        workspace_id text,
        draft_environment_id text NOT NULL,
        live_environment_id text NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        PRIMARY KEY (instance_id, assistant_id)
      );
      CREATE INDEX assistants_draft_env ON assistants (instance_id, draft_environment_id);
      CREATE INDEX assistants_live_env ON assistants (instance_id, live_environment_id);

      CREATE TABLE sessions (
        instance_id text NOT NULL,
        session_id text NOT NULL,
        assistant_id text NOT NULL,
        environment_id text NOT NULL,
        context text NOT NULL,
        created_at bigint NOT NULL,
        last_active_at bigint NOT NULL,
        expires_at bigint NOT NULL,
        PRIMARY KEY (instance_id, session_id)
      );
      CREATE INDEX sessions_expiry ON sessions (expires_at);

      -- Word search with stemming like SQLite's porter tokenizer: the english snowball stemmer, but without a
      -- stop-word list, so every word a user typed can be searched for.
      CREATE TEXT SEARCH DICTIONARY lethe_english_stem (TEMPLATE = snowball, Language = english);
      CREATE TEXT SEARCH CONFIGURATION lethe_english (COPY = english);
      ALTER TEXT SEARCH CONFIGURATION lethe_english
        ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH lethe_english_stem;

      -- seq is the time-ordered key of src/store/log-sequence.ts, unique within an instance. request and response
      -- are the JSON exactly as received; the filter reads them as jsonb.
      CREATE TABLE logs (
        instance_id text NOT NULL,
        seq bigint NOT NULL,
        log_id text NOT NULL,
        api text NOT NULL,
        assistant_id text,
        environment_id text,
        workspace_id text,
        session_id text,
        conversation_id text,
        user_id text,
        customer_id text,
        customer_ids text NOT NULL,
        deployment text,
        language text NOT NULL,
        snapshot text,
        top_intent text,
        top_confidence double precision,
        entities_count integer NOT NULL,
        input_text text NOT NULL,
        learning_opt_out integer NOT NULL,
        request_ts bigint NOT NULL,
        response_ts bigint NOT NULL,
        request text NOT NULL,
        response text NOT NULL,
        -- The indexed words of what the user typed and of what the assistant answered (deleted with the row).
        input_words tsvector NOT NULL,
        output_words tsvector NOT NULL,
        PRIMARY KEY (instance_id, seq)
      ) PARTITION BY RANGE (seq);
      CREATE INDEX logs_workspace ON logs (instance_id, workspace_id, seq);
      CREATE INDEX logs_assistant ON logs (instance_id, assistant_id, seq);
      CREATE INDEX logs_log_id ON logs (instance_id, log_id);
      CREATE INDEX logs_input_words ON logs USING gin (input_words);
      CREATE INDEX logs_output_words ON logs USING gin (output_words);

      -- Who each log is about. Deletion by subject starts here, so it never scans the logs. Partitioned like the
      -- logs, so dropping a month of logs drops its index entries with it.
      CREATE TABLE log_subjects (
        instance_id text NOT NULL,
        kind text NOT NULL,
        value text NOT NULL,
        seq bigint NOT NULL,
        PRIMARY KEY (instance_id, kind, value, seq)
      ) PARTITION BY RANGE (seq);
      CREATE INDEX log_subjects_seq ON log_subjects (instance_id, seq);

      CREATE TABLE deletion_jobs (
        job_id text PRIMARY KEY,
        instance_id text NOT NULL,
        subject_kind text NOT NULL,
        subject_value text,
        subject_hash text NOT NULL,
        cutoff_ts bigint NOT NULL,
        status text NOT NULL,
        attempts integer NOT NULL,
        lease_owner text,
        lease_until bigint,
        created_at bigint NOT NULL,
        started_at bigint,
        finished_at bigint,
        verified_at bigint,
        deleted_logs bigint NOT NULL,
        deleted_sessions bigint NOT NULL,
        error text,
        requested_by text
      );
      CREATE INDEX deletion_jobs_runnable ON deletion_jobs (status, created_at);
      CREATE INDEX deletion_jobs_instance ON deletion_jobs (instance_id, created_at);

      -- Approximate terms (Watson~2): case-insensitive Levenshtein distance within n, as src/filter/text-match.ts.
      CREATE FUNCTION lethe_within(a text, b text, n integer) RETURNS boolean
      LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
      DECLARE
        x text := lower(a);
        y text := lower(b);
        lx integer := length(x);
        ly integer := length(y);
        previous integer[];
        current integer[];
        best integer;
      BEGIN
        IF abs(lx - ly) > n THEN RETURN false; END IF;
        previous := ARRAY(SELECT generate_series(0, ly));
        FOR i IN 1..lx LOOP
          current := ARRAY[i];
          best := i;
          FOR j IN 1..ly LOOP
            current := current || least(
              previous[j] + CASE WHEN substr(x, i, 1) = substr(y, j, 1) THEN 0 ELSE 1 END,
              previous[j + 1] + 1,
              current[j] + 1);
            best := least(best, current[j + 1]);
          END LOOP;
          -- Every later row only grows from this one's minimum.
          IF best > n THEN RETURN false; END IF;
          previous := current;
        END LOOP;
        RETURN previous[ly + 1] <= n;
      END
      $fn$;
    `,
  },
  {
    version: 2,
    sql: `
      -- Usage-analytics events, keyed like logs (src/store/log-sequence.ts) by their receive time.
      CREATE TABLE events (
        instance_id text NOT NULL,
        seq bigint NOT NULL,
        event_id text NOT NULL,
        type text NOT NULL,
        user_id text,
        visitor_id text,
        visit_id text,
        anonymous integer NOT NULL,
        search_uid text,
        origin_level1 text,
        language text,
        ip_hash text,
        received_ts bigint NOT NULL,
        batch_id text,
        payload text NOT NULL,
        PRIMARY KEY (instance_id, seq)
      ) PARTITION BY RANGE (seq);

      CREATE TABLE event_subjects (
        instance_id text NOT NULL,
        kind text NOT NULL,
        value text NOT NULL,
        seq bigint NOT NULL,
        PRIMARY KEY (instance_id, kind, value, seq)
      ) PARTITION BY RANGE (seq);
      CREATE INDEX event_subjects_seq ON event_subjects (instance_id, seq);

      CREATE TABLE instance_settings (
        instance_id text PRIMARY KEY,
        analytics_enabled integer NOT NULL
      );

      ALTER TABLE deletion_jobs ADD COLUMN deleted_events bigint NOT NULL DEFAULT 0;

      CREATE TABLE exports (
        instance_id text NOT NULL,
        export_id text NOT NULL,
        status text NOT NULL,
        author text NOT NULL,
        description text NOT NULL,
        request text NOT NULL,
        created_at bigint NOT NULL,
        finished_at bigint,
        expires_at bigint NOT NULL,
        size bigint NOT NULL,
        content bytea,
        share_hash text,
        shared_at bigint,
        error text,
        PRIMARY KEY (instance_id, export_id)
      );
      CREATE INDEX exports_instance ON exports (instance_id, created_at);
      CREATE INDEX exports_id ON exports (export_id);
      CREATE INDEX exports_status ON exports (status, expires_at);
      CREATE INDEX exports_share ON exports (share_hash);
      CREATE TABLE export_subjects (
        instance_id text NOT NULL,
        kind text NOT NULL,
        value text NOT NULL,
        export_id text NOT NULL,
        PRIMARY KEY (instance_id, kind, value, export_id)
      );
    `,
  },
  {
    version: 3,
    sql: `
      -- The audit trail: one hash chain per instance (src/core/audit). Entries hold IDs and keyed hashes only.
      CREATE TABLE audit_entries (
        instance_id text NOT NULL,
        seq bigint NOT NULL,
        entry_id text NOT NULL,
        at bigint NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        target text,
        details text NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        PRIMARY KEY (instance_id, seq),
        -- Unique per instance (not globally) so the table can be distributed by instance_id.
        UNIQUE (instance_id, entry_id)
      );
      -- Each chain's newest entry, moved in the same transaction as every append; appends lock this row
      -- (SELECT … FOR UPDATE), so appends to one instance from any number of processes run one at a time.
      CREATE TABLE audit_heads (
        instance_id text PRIMARY KEY,
        seq bigint NOT NULL,
        hash text NOT NULL,
        updated_at bigint NOT NULL
      );
    `,
  },
  {
    version: 4,
    sql: `
      -- Retention periods in days; NULL keeps records forever.
      ALTER TABLE instance_settings ADD COLUMN log_retention_days integer;
      ALTER TABLE instance_settings ADD COLUMN event_retention_days integer;

      CREATE TABLE retention_runs (
        instance_id text NOT NULL,
        run_id text NOT NULL,
        log_cutoff_ts bigint,
        event_cutoff_ts bigint,
        deleted_logs bigint NOT NULL,
        deleted_sessions bigint NOT NULL,
        deleted_events bigint NOT NULL,
        deleted_exports bigint NOT NULL,
        started_at bigint NOT NULL,
        finished_at bigint NOT NULL,
        PRIMARY KEY (instance_id, run_id)
      );
      CREATE INDEX retention_runs_instance ON retention_runs (instance_id, started_at);
      -- The operator's listing spans instances.
      CREATE INDEX retention_runs_started ON retention_runs (started_at);

      CREATE TABLE webhooks (
        instance_id text NOT NULL,
        webhook_id text NOT NULL,
        url text NOT NULL,
        events text NOT NULL,
        secret text NOT NULL,
        created_at bigint NOT NULL,
        PRIMARY KEY (instance_id, webhook_id)
      );
      CREATE INDEX webhooks_instance ON webhooks (instance_id, created_at);

      -- The outbox, read across instances by the delivery worker (a reference table on Citus, like deletion_jobs,
      -- whose rows its claims join). payload holds the body (a deletion.requested body holds the subject) until it is
      -- delivered or given up, then it is set to NULL.
      CREATE TABLE webhook_deliveries (
        delivery_id text PRIMARY KEY,
        webhook_id text NOT NULL,
        instance_id text NOT NULL,
        event text NOT NULL,
        job_id text NOT NULL,
        payload text,
        status text NOT NULL,
        attempts integer NOT NULL,
        next_attempt_at bigint NOT NULL,
        lease_owner text,
        lease_until bigint,
        last_http_status integer,
        last_error text,
        created_at bigint NOT NULL,
        finished_at bigint,
        UNIQUE (webhook_id, event, job_id)
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
      CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (instance_id, webhook_id, created_at);
    `,
  },
  {
    version: 5,
    sql: `
      -- Which PII detectors redact an instance's ingested text; no row means the documented defaults.
      CREATE TABLE redaction_settings (
        instance_id text PRIMARY KEY,
        detectors text NOT NULL,
        updated_at bigint NOT NULL
      );
    `,
  },
  {
    version: 6,
    sql: `
      -- Metrics (pg-log-aggregates.ts), as SQLite's migration 6: each message's escalation/fallback flags, judged when
      -- it was stored, and aggregates kept exact in the ingest and deletion transactions. Scopes use '' for "none";
      -- days are UTC days since the epoch.
      ALTER TABLE logs ADD COLUMN metric_flags integer NOT NULL DEFAULT 0;
      -- A conversation's remaining messages, found when a deletion removes its latest one.
      CREATE INDEX logs_conversation ON logs (instance_id, conversation_id, seq);

      CREATE TABLE metric_days (
        instance_id text NOT NULL, day integer NOT NULL, assistant_id text NOT NULL, deployment text NOT NULL,
        messages bigint NOT NULL, conversations bigint NOT NULL, escalated bigint NOT NULL, abandoned bigint NOT NULL,
        users bigint NOT NULL,
        PRIMARY KEY (instance_id, day, assistant_id, deployment)
      );
      CREATE TABLE metric_coverage (
        instance_id text NOT NULL, day integer NOT NULL, assistant_id text NOT NULL, deployment text NOT NULL,
        bucket integer NOT NULL, messages bigint NOT NULL,
        PRIMARY KEY (instance_id, day, assistant_id, deployment, bucket)
      );
      CREATE TABLE metric_intents (
        instance_id text NOT NULL, day integer NOT NULL, assistant_id text NOT NULL, deployment text NOT NULL,
        intent text NOT NULL, messages bigint NOT NULL,
        PRIMARY KEY (instance_id, day, assistant_id, deployment, intent)
      );
      -- Per-user rows hold user IDs: they are derived data of the subject, removed with the last log that supports them.
      CREATE TABLE metric_user_days (
        instance_id text NOT NULL, assistant_id text NOT NULL, deployment text NOT NULL, user_id text NOT NULL,
        day integer NOT NULL, messages bigint NOT NULL,
        PRIMARY KEY (instance_id, assistant_id, deployment, user_id, day)
      );
      CREATE TABLE metric_users (
        instance_id text NOT NULL, assistant_id text NOT NULL, deployment text NOT NULL, user_id text NOT NULL,
        first_day integer NOT NULL, last_day integer NOT NULL,
        PRIMARY KEY (instance_id, assistant_id, deployment, user_id)
      );
      CREATE TABLE metric_conversations (
        instance_id text NOT NULL, conversation_key text NOT NULL, assistant_id text NOT NULL, deployment text NOT NULL,
        start_day integer NOT NULL, messages bigint NOT NULL, escalated_messages bigint NOT NULL,
        last_seq bigint NOT NULL, last_flags integer NOT NULL,
        PRIMARY KEY (instance_id, conversation_key)
      );

      -- Effectiveness reviews of logged messages. A partitioned table cannot be referenced by log_id, so every path
      -- that removes logs deletes their reviews itself (pg-log-aggregates.ts).
      CREATE TABLE log_annotations (
        log_id text PRIMARY KEY,
        instance_id text NOT NULL,
        assistant_id text NOT NULL,
        deployment text NOT NULL,
        request_ts bigint NOT NULL,
        top_intent text,
        verdict text NOT NULL,
        root_cause text,
        corrected_intent text,
        note text,
        author text NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE INDEX log_annotations_instance ON log_annotations (instance_id, request_ts);

      -- Logs stored before this migration still have to be counted: pg-metric-backfill.ts works through them in
      -- (seq, instance_id) order, since a key is unique only within an instance.
      CREATE TABLE metric_backfill (after_seq bigint NOT NULL, after_instance text NOT NULL, until_seq bigint NOT NULL);
      INSERT INTO metric_backfill (after_seq, after_instance, until_seq) SELECT min(seq) - 1, '', max(seq) FROM logs HAVING count(*) > 0;
    `,
  },
  {
    // Version 7: the deletion receipt keeps what verification re-queried (per-table counts, all zero).
    version: 7,
    sql: 'ALTER TABLE deletion_jobs ADD COLUMN verification text;',
  },
  {
    // Version 8: approximate terms cost O(length × edits) per value instead of O(length²) (over 30 s for one value
    // of 2,000 characters): only the cells within n of the diagonal can be within n, and the characters are split
    // once, because substr on a multibyte string walks it from the start.
    version: 8,
    sql: `
      CREATE OR REPLACE FUNCTION lethe_within(a text, b text, n integer) RETURNS boolean
      LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
      DECLARE
        x text[];
        y text[];
        lx integer;
        ly integer;
        over integer := n + 1;
        previous integer[];
        current integer[];
        best integer;
        cell integer;
        d integer;
      BEGIN
        IF lower(a) = lower(b) THEN RETURN true; END IF;
        x := string_to_array(lower(a), NULL);
        y := string_to_array(lower(b), NULL);
        lx := coalesce(array_length(x, 1), 0);
        ly := coalesce(array_length(y, 1), 0);
        IF abs(lx - ly) > n THEN RETURN false; END IF;
        -- Cell (i, j) of the distance table is at index j - i + n + 1 of row i; cells outside the band count as over n.
        previous := array_fill(over, ARRAY[2 * n + 1]);
        FOR j IN 0..least(n, ly) LOOP previous[j + n + 1] := j; END LOOP;
        FOR i IN 1..lx LOOP
          current := array_fill(over, ARRAY[2 * n + 1]);
          best := over;
          FOR j IN greatest(0, i - n)..least(ly, i + n) LOOP
            d := j - i + n + 1;
            IF j = 0 THEN
              cell := i;
            ELSE
              cell := previous[d] + CASE WHEN x[i] = y[j] THEN 0 ELSE 1 END;
              IF d < 2 * n + 1 THEN cell := least(cell, previous[d + 1] + 1); END IF;
              IF d > 1 THEN cell := least(cell, current[d - 1] + 1); END IF;
              cell := least(cell, over);
            END IF;
            current[d] := cell;
            best := least(best, cell);
          END LOOP;
          -- Every later row only grows from this one's minimum.
          IF best > n THEN RETURN false; END IF;
          previous := current;
        END LOOP;
        RETURN previous[ly - lx + n + 1] <= n;
      END
      $fn$;
    `,
  },
  {
    // Version 10: listed key prefixes cut down to 4 characters of the secret (key-prefix-migration.ts).
    version: 10,
    sql: SHORTEN_KEY_PREFIXES,
  },
  {
    // Version 11: stored subject values in NFC, as on SQLite (nfcSubjects in src/store/sqlite/migrations.ts says why
    // this merges no two people). Only UTF-8 databases can hold values that change.
    version: 11,
    sql: `
      DO $$
      DECLARE r record;
      BEGIN
        IF current_setting('server_encoding') <> 'UTF8' THEN RETURN; END IF;
        FOR r IN SELECT instance_id, kind, value, seq FROM log_subjects WHERE octet_length(value) <> length(value) AND value IS NOT NFC NORMALIZED LOOP
          DELETE FROM log_subjects WHERE instance_id = r.instance_id AND kind = r.kind AND value = r.value AND seq = r.seq;
          INSERT INTO log_subjects (instance_id, kind, value, seq) VALUES (r.instance_id, r.kind, normalize(r.value, NFC), r.seq) ON CONFLICT DO NOTHING;
        END LOOP;
        FOR r IN SELECT instance_id, kind, value, seq FROM event_subjects WHERE octet_length(value) <> length(value) AND value IS NOT NFC NORMALIZED LOOP
          DELETE FROM event_subjects WHERE instance_id = r.instance_id AND kind = r.kind AND value = r.value AND seq = r.seq;
          INSERT INTO event_subjects (instance_id, kind, value, seq) VALUES (r.instance_id, r.kind, normalize(r.value, NFC), r.seq) ON CONFLICT DO NOTHING;
        END LOOP;
        FOR r IN SELECT instance_id, kind, value, export_id FROM export_subjects WHERE octet_length(value) <> length(value) AND value IS NOT NFC NORMALIZED LOOP
          DELETE FROM export_subjects WHERE instance_id = r.instance_id AND kind = r.kind AND value = r.value AND export_id = r.export_id;
          INSERT INTO export_subjects (instance_id, kind, value, export_id) VALUES (r.instance_id, r.kind, normalize(r.value, NFC), r.export_id) ON CONFLICT DO NOTHING;
        END LOOP;
        UPDATE deletion_jobs SET subject_value = normalize(subject_value, NFC) WHERE subject_value IS NOT NFC NORMALIZED;
      END $$;
    `,
  },
];

// Any fixed number: every Lethe process takes this advisory lock while it migrates, so they migrate one at a time.
const MIGRATION_LOCK = 7_465_283_001;

/** Applies the migrations not yet applied, each in its own transaction with the row that records it. */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => Number(r.version)));
    for (const m of PG_MIGRATIONS) {
      if (applied.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [m.version, Date.now()]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}
