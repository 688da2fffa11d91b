import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IngestWrite, MessageWrite } from '../../model/ingest.js';
import { IngestWriter } from './ingest-writer.js';

function fakeRepo(behaviour: (batch: IngestWrite[]) => Promise<void>) {
  const batches: MessageWrite[][] = [];
  const repo = async (b: IngestWrite[]) => { batches.push(b as MessageWrite[]); await behaviour(b); };
  return { repo, batches };
}

const write = (n: number) => ({ log: { logId: String(n) } }) as unknown as MessageWrite;

test('writes arriving together share one commit, and each resolves only after it', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const { repo, batches } = fakeRepo(() => gate);
  const writer = new IngestWriter(repo);
  let acknowledged = 0;
  const pending = [1, 2, 3].map((n) => writer.write(write(n)).then(() => { acknowledged++; }));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(batches.length, 1);
  assert.equal(acknowledged, 0, 'nothing is acknowledged before the commit finishes');
  const late = writer.write(write(4));
  release();
  await Promise.all([...pending, late]);
  assert.deepEqual(batches.map((b) => b.map((w) => w.log.logId)), [['1', '2', '3'], ['4']], 'writes during a commit go into the next one');
});

test('a failed commit rejects every write of its batch, and later writes still go through', async () => {
  let fail = true;
  const { repo } = fakeRepo(async () => { if (fail) throw new Error('disk full'); });
  const writer = new IngestWriter(repo);
  const results = await Promise.allSettled([writer.write(write(1)), writer.write(write(2))]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  fail = false;
  await writer.write(write(3));
});

test('drain waits for queued writes', async () => {
  const { repo, batches } = fakeRepo(() => new Promise((resolve) => setTimeout(resolve, 20)));
  const writer = new IngestWriter(repo, 2);
  for (let n = 0; n < 5; n++) void writer.write(write(n));
  await writer.drain();
  assert.deepEqual(batches.map((b) => b.length), [2, 2, 1], 'batches respect the size cap');
});
