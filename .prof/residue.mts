import { rmSync, readFileSync } from 'node:fs';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { newId } from '../src/core/ids.js';
for (const f of ['/tmp/prof/r.db', '/tmp/prof/r.db-wal', '/tmp/prof/r.db-shm']) rmSync(f, { force: true });
const store = openSqliteStore('sqlite:/tmp/prof/r.db', { synchronous: 'FULL' });
const mk = (text: string, cust: string) => ({ log: { logId: newId(), instanceId: 'i', api: 'v1' as const, assistantId: null, environmentId: null, workspaceId: 'w', sessionId: null, conversationId: 'c', userId: null, customerIds: [cust], deployment: null, language: 'en', snapshot: null, topIntent: null, topConfidence: null, entitiesCount: 0, inputText: text, learningOptOut: false, requestTs: Date.now() - 1000, responseTs: Date.now(), request: { input: { text } }, response: { output: { text: ['ok'] } } } });
await store.logs.appendBatch([mk('how much zephyrquartz is left', 'a'), mk('other words here', 'b'), mk('transfer money', 'b')]);
const job = { jobId: newId(), instanceId: 'i', subjectKind: 'customer_id' as const, subjectValue: 'a', subjectHash: 'h', cutoffTs: Date.now(), status: 'queued' as const, attempts: 0, createdAt: Date.now(), startedAt: null, finishedAt: null, verifiedAt: null, deletedLogs: 0, deletedSessions: 0, error: null, requestedBy: null };
await store.jobs.insert(job);
await store.jobs.claim('w', Date.now(), 10000);
console.log(await store.logs.deleteSubjectChunk({ jobId: job.jobId, owner: 'w' }, 'i', { kind: 'customer_id', value: 'a' }, Date.now() + 1, 100));
await store.logs.eraseResidue();
const bytes = readFileSync('/tmp/prof/r.db');
for (const marker of ['zephyrquartz', 'ephyrquartz', 'quartz', 'zephyr']) {
  const at = bytes.indexOf(marker);
  console.log(marker, at, at >= 0 ? 'page ' + Math.floor(at / 4096) : '');
}
await store.close();
