import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../model/ids.js';
import type { LogRecord } from '../model/logs.js';
import type { WorkspaceRecord } from '../model/catalog.js';
import type { Store } from './store.js';

/** The redaction settings and training-data repositories, as every engine must behave (see store.contract.ts). */
export function privacyStoreContract(engine: string, open: () => Promise<Store>): void {
  describe(`privacy store contract: ${engine}`, () => {
    let store: Store;
    before(async () => { store = await open(); });
    after(async () => { await store.close(); });

    test('redaction settings: unset until written, replaced on write, per instance', async () => {
      assert.equal(await store.redaction.get('r1'), undefined);
      await store.redaction.set('r1', ['card', 'email'], 1);
      await store.redaction.set('r1', ['ssn'], 2);
      assert.deepEqual(await store.redaction.get('r1'), ['ssn']);
      assert.equal(await store.redaction.get('r2'), undefined);
      await store.redaction.set('r2', [], 3);
      assert.deepEqual(await store.redaction.get('r2'), []);
    });

    test('training data: opted-out messages and workspaces, other instances and empty inputs are left out', async () => {
      const t0 = Date.parse('2024-05-01T00:00:00Z');
      const workspace = (id: string, learningOptOut: boolean, instanceId = 'td'): WorkspaceRecord => ({
        instanceId, workspaceId: id, name: id, description: null, language: 'en', learningOptOut, content: {}, createdAt: 1, updatedAt: 1,
      });
      for (const w of [workspace('open', false), workspace('closed', true), workspace('open', false, 'td-other')]) await store.workspaces.insert(w);
      const log = (i: number, text: string, patch: Partial<LogRecord> = {}): LogRecord => ({
        logId: `td-${i}`, instanceId: 'td', api: 'v1', assistantId: null, environmentId: null, workspaceId: 'open', sessionId: null,
        conversationId: newId(), userId: null, customerIds: [], deployment: null, language: 'en', snapshot: null,
        topIntent: 'greet', topConfidence: 0.5 + i / 100, entitiesCount: 0, inputText: text, learningOptOut: false,
        requestTs: t0 + i * 1000, responseTs: t0 + i * 1000, request: {}, response: {}, ...patch,
      });
      await store.ingest([
        log(0, 'hello'),
        log(1, 'opted out', { learningOptOut: true }),
        log(2, 'closed workspace', { workspaceId: 'closed' }),
        log(3, ''),
        log(4, 'other instance', { instanceId: 'td-other' }),
        log(5, 'deleted workspace', { workspaceId: 'gone' }),
        log(6, 'via assistant', { assistantId: 'a1', api: 'v2' }),
        log(7, 'later'),
      ].map((l) => ({ log: l })));

      const texts = async (q: Partial<Parameters<Store['trainingData']['page']>[0]> = {}) =>
        (await store.trainingData.page({ instanceId: 'td', limit: 100, ...q })).map((u) => u.text);
      assert.deepEqual(await texts(), ['hello', 'via assistant', 'later']);
      assert.deepEqual(await texts({ assistantId: 'a1' }), ['via assistant']);
      assert.deepEqual(await texts({ workspaceId: 'closed' }), []);
      assert.deepEqual(await texts({ fromTs: t0 + 1000, toTs: t0 + 7000 }), ['via assistant']);
      const [first, second] = await store.trainingData.page({ instanceId: 'td', limit: 2 });
      assert.deepEqual(first, { seq: first!.seq, logId: 'td-0', workspaceId: 'open', assistantId: null, text: 'hello', intent: 'greet', confidence: 0.5, requestTs: t0 });
      assert.deepEqual(await texts({ afterSeq: second!.seq }), ['later']);
    });
  });
}
