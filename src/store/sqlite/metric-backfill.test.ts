import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { newId } from '../../model/ids.js';
import type { LogRecord } from '../../model/logs.js';
import { backfillLogAggregates } from './metric-backfill.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'lethe-backfill-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const DAY = 86_400_000;
const log = (i: number, conversation: string, user: string, intent: string | null, escalate = false): LogRecord => ({
  logId: newId(), instanceId: 'b', api: 'v2', assistantId: 'asst', environmentId: null, workspaceId: null, sessionId: conversation,
  conversationId: conversation, userId: user, customerIds: [], deployment: null, language: 'en', snapshot: null, topIntent: intent,
  topConfidence: intent === null ? null : 0.3 + i / 100, entitiesCount: 0, inputText: `t${i}`, learningOptOut: false,
  requestTs: 20_000 * DAY + (i % 3) * DAY + i, responseTs: 20_000 * DAY + (i % 3) * DAY + i + 1, request: {},
  response: { output: { generic: [{ response_type: escalate ? 'connect_to_agent' : 'text' }] } },
});

test('logs stored before the aggregates existed are counted once, in chunks, when the database is opened', async () => {
  const path = join(dir, 'old.db');
  const logs = [
    log(0, 'c1', 'u1', 'a'), log(1, 'c1', 'u1', 'b'), log(2, 'c2', 'u2', null), log(3, 'c3', 'u1', 'a', true),
    log(4, 'c2', 'u2', 'a'), log(5, 'c4', 'u3', null), log(6, 'c1', 'u1', 'c'),
  ];
  const store = openSqliteStore(`sqlite:${path}`, { synchronous: 'NORMAL' });
  await store.ingest(logs.map((l) => ({ log: l })));
  const scope = { instanceId: 'b', fromDay: 19_990, toDay: 20_010 };
  const opts = { firstCoveredBucket: 20, topIntents: 10 };
  const expected = await store.metrics.totals(scope, opts);
  assert.equal(expected.totals.messages, 7);
  assert.equal(expected.totals.escalated, 1);
  await store.close();

  // The state migration 6 finds in a database written by an earlier version: logs, no aggregates, no flags.
  const raw = new Database(path);
  for (const t of ['metric_days', 'metric_coverage', 'metric_intents', 'metric_user_days', 'metric_users', 'metric_conversations']) raw.exec(`DELETE FROM ${t}`);
  raw.exec('UPDATE logs SET metric_flags = 0; INSERT INTO metric_backfill (next_seq, until_seq) SELECT min(seq), max(seq) FROM logs');
  backfillLogAggregates(raw, { escalationIntents: [], escalationNodes: [], fallbackIntents: [], fallbackNodes: [] }, 2);
  assert.equal((raw.prepare('SELECT count(*) AS n FROM metric_backfill').get() as { n: number }).n, 0, 'the backfill is recorded as done');
  backfillLogAggregates(raw, { escalationIntents: [], escalationNodes: [], fallbackIntents: [], fallbackNodes: [] }, 2);
  raw.close();

  const reopened = openSqliteStore(`sqlite:${path}`, { synchronous: 'NORMAL' });
  assert.deepEqual(await reopened.metrics.totals(scope, opts), expected, 'the same figures as if they had been counted at ingest');
  await reopened.close();
});
