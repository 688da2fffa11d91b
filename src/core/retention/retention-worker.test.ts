import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createLogger } from '../../logger.js';
import type { LogRecord } from '../../model/logs.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { Store } from '../../store/store.js';
import { newId } from '../../model/ids.js';
import { Sessions } from '../sessions/sessions.js';
import { RetentionWorker } from './retention-worker.js';

const DAY = 86_400_000;
const now = Date.parse('2025-01-31T12:00:00Z');
let store: Store;
let worker: RetentionWorker;

const log = (instanceId: string, ts: number): LogRecord => ({
  logId: newId(), instanceId, api: 'v1', assistantId: null, environmentId: null, workspaceId: 'w', sessionId: null, conversationId: null,
  userId: null, customerIds: [], deployment: null, language: 'en', snapshot: null, topIntent: null, topConfidence: null, entitiesCount: 0,
  inputText: 'hi', learningOptOut: false, requestTs: ts, responseTs: ts, request: {}, response: {},
});

before(async () => {
  store = openSqliteStore('sqlite::memory:', { synchronous: 'NORMAL' });
  worker = new RetentionWorker(store, new Sessions(store.sessions, 60_000), createLogger('silent'), { intervalMs: 60_000, chunk: 3 });
});
after(() => store.close());

test('each instance is cut at its own period, across many chunks, and a run is recorded only when something went', async () => {
  await store.settings.set('month', { analyticsEnabled: true, logRetentionDays: 30, eventRetentionDays: null });
  await store.settings.set('week', { analyticsEnabled: true, logRetentionDays: 7, eventRetentionDays: 7 });
  await store.settings.set('forever', { analyticsEnabled: true, logRetentionDays: null, eventRetentionDays: null });
  const ages = [40, 20, 10, 8, 6, 1];
  await store.ingest(['month', 'week', 'forever'].flatMap((i) => ages.map((age) => ({ log: log(i, now - age * DAY) }))));
  await store.ingest(Array.from({ length: 10 }, (_, i) => ({ log: log('week', now - 9 * DAY + i) })));

  const runs = (await worker.runOnce(now)).sort((a, b) => a.instanceId.localeCompare(b.instanceId));
  assert.deepEqual(runs.map((r) => [r.instanceId, r.deletedLogs, r.logCutoffTs, r.eventCutoffTs]), [
    ['month', 1, now - 30 * DAY, null],
    ['week', 14, now - 7 * DAY, now - 7 * DAY],
  ]);
  const left = async (instanceId: string) => (await store.logs.page({ instanceId, filter: null, scope: {}, descending: false, limit: 100, after: null })).logs
    .map((l) => Math.round((now - l.requestTs) / DAY));
  assert.deepEqual(await left('month'), [20, 10, 8, 6, 1]);
  assert.deepEqual(await left('week'), [6, 1]);
  assert.deepEqual(await left('forever'), ages);
  assert.equal((await store.retentionRuns.list(null, 10)).length, 2);

  assert.deepEqual(await worker.runOnce(now), [], 'nothing left to delete: no run');
  assert.equal((await store.retentionRuns.list(null, 10)).length, 2);
  assert.equal((await worker.runOnce(now + 11 * DAY)).length, 2, 'as time passes, more expires');
});
