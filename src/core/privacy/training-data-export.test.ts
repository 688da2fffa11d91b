import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TrainingDataQuery, TrainingDataRepository, TrainingUtterance } from '../../store/store.js';
import { trainingDataExport } from './training-data-export.js';

function fakeRepo(count: number): TrainingDataRepository & { queries: TrainingDataQuery[] } {
  const all: TrainingUtterance[] = Array.from({ length: count }, (_, i) => ({
    seq: i + 1, logId: `l${i}`, workspaceId: 'w', assistantId: null, text: i === 0 ? '=SUM(A1), "quoted"' : `text ${i}`,
    intent: 'greet', confidence: 0.75, requestTs: Date.UTC(2024, 4, 1) + i,
  }));
  const queries: TrainingDataQuery[] = [];
  return {
    queries,
    async page(q) {
      queries.push(q);
      return all.filter((u) => u.seq > (q.afterSeq ?? 0)).slice(0, q.limit);
    },
  };
}

const collect = async (gen: AsyncGenerator<string>) => {
  let out = '';
  for await (const chunk of gen) out += chunk;
  return out;
};

test('JSONL: one utterance per line, read page after page', async () => {
  const repo = fakeRepo(2500);
  const lines = (await collect(trainingDataExport(repo, { instanceId: 'i' }, 'jsonl'))).trimEnd().split('\n');
  assert.equal(lines.length, 2500);
  assert.deepEqual(JSON.parse(lines[1]!), {
    utterance: 'text 1', intent: 'greet', confidence: 0.75, request_timestamp: '2024-05-01T00:00:00.001Z', workspace_id: 'w', assistant_id: null, log_id: 'l1',
  });
  assert.deepEqual(repo.queries.map((q) => q.afterSeq), [undefined, 1000, 2000]);
});

test('CSV: a header, quoted cells and defused formulas', async () => {
  const csv = await collect(trainingDataExport(fakeRepo(1), { instanceId: 'i' }, 'csv'));
  assert.equal(csv, 'utterance,intent,confidence,request_timestamp,workspace_id,assistant_id,log_id\r\n'
    + `"'=SUM(A1), ""quoted""",greet,0.75,2024-05-01T00:00:00.000Z,w,,l0\r\n`);
});
