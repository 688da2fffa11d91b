import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createServices } from '../src/core/services.js';
import { createLogger } from '../src/logger.js';
import { bankingWorkspace } from '../test/fixtures/workspace.js';
import { runV1Turn } from '../src/core/messages/v1-turn.js';
import { rmSync } from 'node:fs';
rmSync('/tmp/prof/m.db', { force: true }); rmSync('/tmp/prof/m.db-wal', { force: true });
const store = openSqliteStore('sqlite:/tmp/prof/m.db', { synchronous: 'FULL' });
const s = await createServices(store, { sessionTimeoutSeconds: 300, jobLeaseMs: 10000 }, createLogger('warn'));
const ws = await s.workspaces.create('default', bankingWorkspace as any);
const { skill } = await s.workspaces.skill('default', ws.workspaceId);
const t = async (label: string, fn: () => unknown, n = 20000) => { for (let i = 0; i < 500; i++) await fn(); const t0 = performance.now(); for (let i = 0; i < n; i++) await fn(); console.log(label.padEnd(30), ((performance.now() - t0) * 1000 / n).toFixed(2), 'us'); };
const body = { input: { text: 'what is my balance' } };
await t('skill.respond', () => skill.respond({ text: 'what is my balance', variables: {}, alternateIntents: false }));
await t('runV1Turn', () => runV1Turn(skill, body, false));
const turn = runV1Turn(skill, body, false);
await t('stringify req+resp', () => JSON.stringify(body) + JSON.stringify(turn.response));
console.log('response bytes', JSON.stringify(turn.response).length);
await t('workspaces.skill (cached)', () => s.workspaces.skill('default', ws.workspaceId));
const meta = { instanceId: 'default', customerIds: ['c1'], learningOptOut: false, receivedAt: Date.now() };
await t('messageV1 sequential (commit each)', () => s.conversations.messageV1(meta, ws.workspaceId, body, false), 2000);
const t0 = performance.now(); const N = 20000;
for (let i = 0; i < N; i += 50) await Promise.all(Array.from({ length: 50 }, () => s.conversations.messageV1(meta, ws.workspaceId, body, false)));
console.log('messageV1 50-concurrent'.padEnd(30), ((performance.now() - t0) * 1000 / N).toFixed(2), 'us');
await store.close();
{
  const store2 = openSqliteStore('sqlite:/tmp/prof/m2.db', { synchronous: 'FULL' });
  const mk = (i: number) => ({ log: { logId: crypto.randomUUID(), instanceId: 'default', api: 'v1' as const, assistantId: null, environmentId: null, workspaceId: 'w', sessionId: null, conversationId: 'c', userId: null, customerIds: ['c1'], deployment: null, language: 'en', snapshot: null, topIntent: 'x', topConfidence: 0.9, entitiesCount: 0, inputText: 'what is my balance', learningOptOut: false, requestTs: Date.now(), responseTs: Date.now(), request: body, response: turn.response } });
  for (const size of [1, 50, 500]) {
    const batch = Array.from({ length: size }, (_, i) => mk(i));
    const rounds = Math.max(20, 20000 / size);
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++) { for (const w of batch) w.log.logId = crypto.randomUUID(); await store2.logs.appendBatch(batch); }
    console.log(`appendBatch(${size})`.padEnd(30), ((performance.now() - t0) * 1000 / (rounds * size)).toFixed(2), 'us/row');
  }
  await store2.close();
}
