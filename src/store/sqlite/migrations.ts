import type Database from 'better-sqlite3';
import { createTextPartition, partitionOf } from './text-index.js';
import { SHORTEN_KEY_PREFIXES } from '../sql/key-prefix-migration.js';

/**
 * Ordered, append-only schema changes. A released migration is never edited: add a new one.
 * Each runs in its own transaction together with the row that records it: its SQL, then its `run` step if any.
 */
const MIGRATIONS: { version: number; sql: string; run?: (db: Database.Database) => void }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

      CREATE TABLE api_keys (
        key_id TEXT PRIMARY KEY,
        instance_id TEXT NOT NULL,
        name TEXT NOT NULL,
        prefix TEXT NOT NULL,
        secret_hash TEXT NOT NULL UNIQUE,
        privileges TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      ) STRICT;
      CREATE INDEX api_keys_instance ON api_keys (instance_id, created_at);

      CREATE TABLE workspaces (
        instance_id TEXT NOT NULL,
        workspace_id TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        language TEXT NOT NULL,
        learning_opt_out INTEGER NOT NULL,
        content TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (instance_id, workspace_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE assistants (
        instance_id TEXT NOT NULL,
        assistant_id TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        language TEXT NOT NULL,
        workspace_id TEXT,
        draft_environment_id TEXT NOT NULL,
        live_environment_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (instance_id, assistant_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX assistants_draft_env ON assistants (instance_id, draft_environment_id);
      CREATE INDEX assistants_live_env ON assistants (instance_id, live_environment_id);

      CREATE TABLE sessions (
        session_id TEXT PRIMARY KEY,
        instance_id TEXT NOT NULL,
        assistant_id TEXT NOT NULL,
        environment_id TEXT NOT NULL,
        context TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_active_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      -- seq is the time-ordered key of src/store/log-sequence.ts, assigned by the writer.
      CREATE TABLE logs (
        seq INTEGER PRIMARY KEY,
        log_id TEXT NOT NULL UNIQUE,
        instance_id TEXT NOT NULL,
        api TEXT NOT NULL,
        assistant_id TEXT,
        environment_id TEXT,
        workspace_id TEXT,
        session_id TEXT,
        conversation_id TEXT,
        user_id TEXT,
        customer_id TEXT,
        customer_ids TEXT NOT NULL,
        deployment TEXT,
        language TEXT NOT NULL,
        snapshot TEXT,
        top_intent TEXT,
        top_confidence REAL,
        entities_count INTEGER NOT NULL,
        input_text TEXT NOT NULL,
        learning_opt_out INTEGER NOT NULL,
        request_ts INTEGER NOT NULL,
        response_ts INTEGER NOT NULL,
        request TEXT NOT NULL,
        response TEXT NOT NULL
      ) STRICT;
      -- Each index ends in seq (the rowid), so within one instance, workspace or assistant it runs in time order.
      CREATE INDEX logs_instance ON logs (instance_id);
      CREATE INDEX logs_workspace ON logs (instance_id, workspace_id);
      CREATE INDEX logs_assistant ON logs (instance_id, assistant_id);

      -- Full-text index of what users typed and what the assistant answered. Contentless: it holds the index only,
      -- never a second copy of the text. Entries are removed with the 'delete' command and the original text (not
      -- contentless_delete, whose tombstones leave the terms in the index), and secure-delete makes that rewrite the
      -- index pages so no term of a deleted message survives.
      CREATE VIRTUAL TABLE logs_fts USING fts5(
        input_text, output_text, content = '', tokenize = 'porter unicode61 remove_diacritics 2'
      );
      INSERT INTO logs_fts (logs_fts, rank) VALUES ('secure-delete', 1);

      -- Who each log is about. Deletion by subject starts here, so it never scans the logs.
      CREATE TABLE log_subjects (
        instance_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (instance_id, kind, value, seq)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE deletion_jobs (
        job_id TEXT PRIMARY KEY,
        instance_id TEXT NOT NULL,
        subject_kind TEXT NOT NULL,
        subject_value TEXT,
        subject_hash TEXT NOT NULL,
        cutoff_ts INTEGER NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        lease_owner TEXT,
        lease_until INTEGER,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        verified_at INTEGER,
        deleted_logs INTEGER NOT NULL,
        deleted_sessions INTEGER NOT NULL,
        error TEXT,
        requested_by TEXT
      ) STRICT;
      CREATE INDEX deletion_jobs_runnable ON deletion_jobs (status, created_at);
      CREATE INDEX deletion_jobs_instance ON deletion_jobs (instance_id, created_at);
    `,
  },
  {
    version: 2,
    sql: `
      -- Usage-analytics events, keyed like logs (src/store/log-sequence.ts) by their receive time.
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        instance_id TEXT NOT NULL,
        type TEXT NOT NULL,
        user_id TEXT,
        visitor_id TEXT,
        visit_id TEXT,
        anonymous INTEGER NOT NULL,
        search_uid TEXT,
        origin_level1 TEXT,
        language TEXT,
        ip_hash TEXT,
        received_ts INTEGER NOT NULL,
        batch_id TEXT,
        payload TEXT NOT NULL
      ) STRICT;
      CREATE INDEX events_instance ON events (instance_id);

      -- Who each event is about (user ID, visitor ID): overview and deletion start here.
      CREATE TABLE event_subjects (
        instance_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (instance_id, kind, value, seq)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE instance_settings (
        instance_id TEXT PRIMARY KEY,
        analytics_enabled INTEGER NOT NULL
      ) STRICT;

      ALTER TABLE deletion_jobs ADD COLUMN deleted_events INTEGER NOT NULL DEFAULT 0;

      -- Data exports. The file lives in the database, so it is erased like everything else: when the export expires,
      -- and when a deletion covers anyone whose events it holds (export_subjects).
      CREATE TABLE exports (
        export_id TEXT PRIMARY KEY,
        instance_id TEXT NOT NULL,
        status TEXT NOT NULL,
        author TEXT NOT NULL,
        description TEXT NOT NULL,
        request TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        finished_at INTEGER,
        expires_at INTEGER NOT NULL,
        size INTEGER NOT NULL,
        content BLOB,
        share_hash TEXT,
        shared_at INTEGER,
        error TEXT
      ) STRICT;
      CREATE INDEX exports_instance ON exports (instance_id, created_at);
      CREATE INDEX exports_status ON exports (status, expires_at);
      CREATE TABLE export_subjects (
        instance_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        export_id TEXT NOT NULL,
        PRIMARY KEY (instance_id, kind, value, export_id)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    sql: `
      -- The audit trail: one hash chain per instance (src/core/audit). Entries hold IDs and keyed hashes only.
      CREATE TABLE audit_entries (
        instance_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        entry_id TEXT NOT NULL UNIQUE,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (instance_id, seq)
      ) STRICT, WITHOUT ROWID;
      -- Each chain's newest entry, moved in the same transaction as every append: deleting the tail of
      -- audit_entries alone leaves the head pointing past it. Appends also serialise on this row.
      CREATE TABLE audit_heads (
        instance_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 4,
    sql: `
      -- Retention periods in days; NULL keeps records forever.
      ALTER TABLE instance_settings ADD COLUMN log_retention_days INTEGER;
      ALTER TABLE instance_settings ADD COLUMN event_retention_days INTEGER;

      -- Passes of the retention worker that deleted something.
      CREATE TABLE retention_runs (
        run_id TEXT PRIMARY KEY,
        instance_id TEXT NOT NULL,
        log_cutoff_ts INTEGER,
        event_cutoff_ts INTEGER,
        deleted_logs INTEGER NOT NULL,
        deleted_sessions INTEGER NOT NULL,
        deleted_events INTEGER NOT NULL,
        deleted_exports INTEGER NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX retention_runs_instance ON retention_runs (instance_id, started_at);

      CREATE TABLE webhooks (
        webhook_id TEXT PRIMARY KEY,
        instance_id TEXT NOT NULL,
        url TEXT NOT NULL,
        events TEXT NOT NULL,
        secret TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX webhooks_instance ON webhooks (instance_id, created_at);

      -- The outbox. payload holds the body (a deletion.requested body holds the subject) until it is delivered or
      -- given up, then it is set to NULL, which secure_delete overwrites.
      CREATE TABLE webhook_deliveries (
        delivery_id TEXT PRIMARY KEY,
        webhook_id TEXT NOT NULL,
        instance_id TEXT NOT NULL,
        event TEXT NOT NULL,
        job_id TEXT NOT NULL,
        payload TEXT,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        lease_owner TEXT,
        lease_until INTEGER,
        last_http_status INTEGER,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        finished_at INTEGER,
        UNIQUE (webhook_id, event, job_id)
      ) STRICT;
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
      CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at);
    `,
  },
  {
    version: 5,
    sql: `
      -- Which PII detectors redact an instance's ingested text; no row means the documented defaults.
      CREATE TABLE redaction_settings (
        instance_id TEXT PRIMARY KEY,
        detectors TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 6,
    sql: `
      -- Metrics (src/store/sqlite/log-aggregates.ts): each message's escalation/fallback flags, judged when it was
      -- stored, and aggregates kept exact in the ingest and deletion transactions. Scopes use '' for "none"; days are
      -- UTC days since the epoch.
      ALTER TABLE logs ADD COLUMN metric_flags INTEGER NOT NULL DEFAULT 0;
      -- A conversation's remaining messages, found when a deletion removes its latest one.
      CREATE INDEX logs_conversation ON logs (instance_id, conversation_id);

      CREATE TABLE metric_days (
        instance_id TEXT NOT NULL, day INTEGER NOT NULL, assistant_id TEXT NOT NULL, deployment TEXT NOT NULL,
        messages INTEGER NOT NULL, conversations INTEGER NOT NULL, escalated INTEGER NOT NULL, abandoned INTEGER NOT NULL,
        users INTEGER NOT NULL,
        PRIMARY KEY (instance_id, day, assistant_id, deployment)
      ) STRICT, WITHOUT ROWID;
      -- Top-intent confidence in buckets of 0.01 (-1: fallback), so coverage takes its threshold per request.
      CREATE TABLE metric_coverage (
        instance_id TEXT NOT NULL, day INTEGER NOT NULL, assistant_id TEXT NOT NULL, deployment TEXT NOT NULL,
        bucket INTEGER NOT NULL, messages INTEGER NOT NULL,
        PRIMARY KEY (instance_id, day, assistant_id, deployment, bucket)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE metric_intents (
        instance_id TEXT NOT NULL, day INTEGER NOT NULL, assistant_id TEXT NOT NULL, deployment TEXT NOT NULL,
        intent TEXT NOT NULL, messages INTEGER NOT NULL,
        PRIMARY KEY (instance_id, day, assistant_id, deployment, intent)
      ) STRICT, WITHOUT ROWID;
      -- Per-user rows hold user IDs: they are derived data of the subject, removed with the last log that supports them.
      CREATE TABLE metric_user_days (
        instance_id TEXT NOT NULL, assistant_id TEXT NOT NULL, deployment TEXT NOT NULL, user_id TEXT NOT NULL,
        day INTEGER NOT NULL, messages INTEGER NOT NULL,
        PRIMARY KEY (instance_id, assistant_id, deployment, user_id, day)
      ) STRICT, WITHOUT ROWID;
      -- First and last day each user was seen: unique users over a range scan this, not the user-days.
      CREATE TABLE metric_users (
        instance_id TEXT NOT NULL, assistant_id TEXT NOT NULL, deployment TEXT NOT NULL, user_id TEXT NOT NULL,
        first_day INTEGER NOT NULL, last_day INTEGER NOT NULL,
        PRIMARY KEY (instance_id, assistant_id, deployment, user_id)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE metric_conversations (
        instance_id TEXT NOT NULL, conversation_key TEXT NOT NULL, assistant_id TEXT NOT NULL, deployment TEXT NOT NULL,
        start_day INTEGER NOT NULL, messages INTEGER NOT NULL, escalated_messages INTEGER NOT NULL,
        last_seq INTEGER NOT NULL, last_flags INTEGER NOT NULL,
        PRIMARY KEY (instance_id, conversation_key)
      ) STRICT, WITHOUT ROWID;

      -- Effectiveness reviews of logged messages; a review goes with its log (ON DELETE CASCADE).
      CREATE TABLE log_annotations (
        log_id TEXT PRIMARY KEY REFERENCES logs (log_id) ON DELETE CASCADE,
        instance_id TEXT NOT NULL,
        assistant_id TEXT NOT NULL,
        deployment TEXT NOT NULL,
        request_ts INTEGER NOT NULL,
        top_intent TEXT,
        verdict TEXT NOT NULL,
        root_cause TEXT,
        corrected_intent TEXT,
        note TEXT,
        author TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX log_annotations_instance ON log_annotations (instance_id, request_ts);

      -- Logs stored before this migration still have to be counted: metric-backfill.ts works through them.
      CREATE TABLE metric_backfill (next_seq INTEGER NOT NULL, until_seq INTEGER NOT NULL) STRICT;
      INSERT INTO metric_backfill (next_seq, until_seq) SELECT min(seq), max(seq) FROM logs HAVING count(*) > 0;
    `,
  },
  {
    // Version 7: the deletion receipt keeps what verification re-queried (per-table counts, all zero).
    version: 7,
    sql: 'ALTER TABLE deletion_jobs ADD COLUMN verification TEXT;',
  },
  {
    // Version 8: the full-text index leaves out stopwords (fts-words.ts), which made deletions three times cheaper;
    // it is rebuilt from the stored text. 'delete-all' drops every old index page (zeroed by secure_delete).
    version: 8,
    sql: `
      INSERT INTO logs_fts (logs_fts) VALUES ('delete-all');
      INSERT INTO logs_fts (rowid, input_text, output_text)
        SELECT seq, lethe_indexed_words(input_text), lethe_indexed_words(lethe_output_text(api, response)) FROM logs;
    `,
  },
  {
    // Version 9: one full-text table per month of request time (text-index.ts), so deleting from a month that has
    // ended reads one merged segment instead of every segment of one ever-growing index. The stored logs are indexed
    // again month by month; dropping the old index zeroes its pages (secure_delete). Ended months are merged into one
    // segment afterwards, in the background (compactTextIndexStep).
    version: 9,
    sql: `
      CREATE TABLE log_text_partitions (
        name TEXT PRIMARY KEY,
        lo_seq INTEGER NOT NULL,
        hi_seq INTEGER NOT NULL,
        -- 1 once the month has ended and its index is one segment; a back-dated message sets it back to 0.
        compacted INTEGER NOT NULL
      ) STRICT;
    `,
    run: (db) => {
      const { lo, hi } = db.prepare('SELECT min(seq) AS lo, max(seq) AS hi FROM logs').get() as { lo: number | null; hi: number | null };
      for (let p = lo === null ? null : partitionOf(lo); p && p.loSeq <= hi!; p = partitionOf(p.hiSeq)) {
        createTextPartition(db, p);
        db.prepare(`INSERT INTO ${p.name} (rowid, input_text, output_text)
          SELECT seq, lethe_indexed_words(input_text), lethe_indexed_words(lethe_output_text(api, response)) FROM logs
          WHERE seq >= ? AND seq < ?`).run(p.loSeq, p.hiSeq);
      }
      db.exec('DROP TABLE logs_fts');
    },
  },
  {
    // Version 10: listed key prefixes cut down to 4 characters of the secret (key-prefix-migration.ts).
    version: 10,
    sql: SHORTEN_KEY_PREFIXES,
  },
  {
    // Version 11: identifiers are stored in NFC (src/model/identifier.ts), so the subject index and the
    // subjects of unfinished jobs are brought to NFC; see nfcSubjects.
    version: 11,
    sql: '',
    run: nfcSubjects,
  },
];

/**
 * Brings stored subject values to NFC, the form every request now names them in, so that data stored before the
 * rule is still found, exported and deleted by the same value. Only canonically equivalent values become one, and
 * these are one identifier under the rule: they look the same and no request could tell them apart. Nothing else is
 * changed (case, whitespace, look-alikes from other scripts). A record indexed under two forms of one value keeps one
 * entry. Only values with a non-ASCII character can change, and SQLite tells those apart cheaply (characters and
 * bytes differ in number), so the rest of the index is not handed to JavaScript.
 */
function nfcSubjects(db: Database.Database): void {
  type Row = { instance_id: string; kind: string; value: string; key: string | number };
  const cursorOf = (r: Row) => [r.instance_id, r.kind, r.value, r.key];
  for (const [table, key] of [['log_subjects', 'seq'], ['event_subjects', 'seq'], ['export_subjects', 'export_id']] as const) {
    // Read in primary-key order a page at a time, so memory stays flat however many values are not ASCII.
    const nonAscii = `length(value) <> length(CAST(value AS BLOB)) ORDER BY instance_id, kind, value, ${key} LIMIT 1000`;
    const first = db.prepare(`SELECT instance_id, kind, value, ${key} AS key FROM ${table} WHERE ${nonAscii}`);
    const next = db.prepare(`SELECT instance_id, kind, value, ${key} AS key FROM ${table} WHERE (instance_id, kind, value, ${key}) > (?, ?, ?, ?) AND ${nonAscii}`);
    const remove = db.prepare(`DELETE FROM ${table} WHERE instance_id = ? AND kind = ? AND value = ? AND ${key} = ?`);
    const insert = db.prepare(`INSERT OR IGNORE INTO ${table} (instance_id, kind, value, ${key}) VALUES (?, ?, ?, ?)`);
    for (let page = first.all() as Row[]; page.length; page = next.all(...cursorOf(page[page.length - 1]!)) as Row[]) {
      for (const row of page) {
        const nfc = row.value.normalize('NFC');
        if (nfc === row.value) continue;
        remove.run(row.instance_id, row.kind, row.value, row.key);
        insert.run(row.instance_id, row.kind, nfc, row.key);
      }
    }
  }
  const jobs = db.prepare("SELECT job_id, subject_value FROM deletion_jobs WHERE subject_value IS NOT NULL").all() as { job_id: string; subject_value: string }[];
  const setSubject = db.prepare('UPDATE deletion_jobs SET subject_value = ? WHERE job_id = ?');
  for (const job of jobs) if (job.subject_value.normalize('NFC') !== job.subject_value) setSubject.run(job.subject_value.normalize('NFC'), job.job_id);
}

export function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT');
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
  const pending = MIGRATIONS.filter((m) => !applied.has(m.version));
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      m.run?.(db);
      record.run(m.version, Date.now());
    }).immediate();
  }
  // What a migration overwrote (version 10's long key prefixes) leaves the WAL and the main file's old pages.
  if (pending.length) db.pragma('wal_checkpoint(TRUNCATE)');
}
