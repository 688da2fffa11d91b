import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { newId } from '../../src/model/ids.js';
import { startLethe, type LetheProcess } from '../helpers/lethe-process.js';
import { describeEachEngine, freshDatabase } from '../helpers/test-engines.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { waitFor } from '../helpers/wait.js';
import { countMarkers, createTarget, sendWrite, storedEventValues, storedLogTexts, WRITE_KINDS, type WriteKind } from '../helpers/traffic.js';

const SEED = Number(process.env.LETHE_TEST_SEED ?? 20261123);
const KILLS = 4;
const CONCURRENCY = 8;
const MIN_ACKS_BETWEEN_KILLS = 25;

describeEachEngine('durability under SIGKILL', (engine) => test(`every acknowledged message and event survives ${KILLS} SIGKILLs under load, none stored twice (seed ${SEED})`, { timeout: 120_000 }, async (t) => {
  const random = seededRandom(SEED);
  const dir = mkdtempSync(join(tmpdir(), 'lethe-kill-'));
  const adminKey = `test-admin-${newId()}`;
  const database = await freshDatabase(engine, 'kill');
  const env = { LETHE_RATE_LIMIT_PER_MINUTE: '0', LETHE_DATABASE_URL: database.url };
  let lethe: LetheProcess | undefined = await startLethe({ dir, adminKey, env });
  try {
    const target = await createTarget(lethe.url, adminKey);
    const kindOf = new Map<number, WriteKind>();
    const acked = new Set<number>();
    const outcomes = new Map<string, number>();
    let next = 0;
    let running = true;
    let current: string | undefined = lethe.url;

    const worker = async () => {
      while (running) {
        const url = current;
        if (!url) { await new Promise((r) => setTimeout(r, 10)); continue; }
        const seq = next++;
        const kind = WRITE_KINDS[seq % WRITE_KINDS.length]!;
        kindOf.set(seq, kind);
        let outcome: string;
        try {
          const res = await sendWrite(url, adminKey, target, kind, seq, AbortSignal.timeout(10_000));
          await res.arrayBuffer();
          if (res.ok) acked.add(seq);
          outcome = String(res.status);
        } catch {
          outcome = 'connection error';
        }
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
    };
    const workers = Array.from({ length: CONCURRENCY }, worker);

    for (let k = 0; k < KILLS; k++) {
      // A seeded moment, but never before the restarted server acknowledged some writes (a slow start under load).
      const ackedBefore = acked.size;
      await new Promise((r) => setTimeout(r, 300 + random() * 1200));
      await waitFor(async () => acked.size, (n) => n >= ackedBefore + MIN_ACKS_BETWEEN_KILLS);
      current = undefined;
      await lethe.kill();
      lethe = await startLethe({ dir, adminKey, env });
      current = lethe.url;
    }
    await new Promise((r) => setTimeout(r, 500));
    running = false;
    await Promise.all(workers);

    // The workspace's logs hold every message on it, v2 ones included; the assistant's logs hold the v2 ones.
    const logCounts = countMarkers(await storedLogTexts(lethe.url, adminKey, `/v1/workspaces/${target.workspaceId}/logs`));
    const v2Counts = countMarkers(await storedLogTexts(lethe.url, adminKey, `/v2/assistants/${target.assistantId}/logs`));
    const eventCounts = countMarkers(await storedEventValues(lethe.url, adminKey));
    const summary = `seed ${SEED}: ${next} sent, ${acked.size} acknowledged, outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`;
    assert.ok(acked.size >= KILLS * MIN_ACKS_BETWEEN_KILLS, `enough load to mean something: ${summary}`);
    assert.ok((outcomes.get('connection error') ?? 0) > 0, `the kills interrupted requests in flight: ${summary}`);

    for (const seq of acked) {
      const found = (kindOf.get(seq) === 'event' ? eventCounts : logCounts).get(seq) ?? 0;
      assert.equal(found, 1, `acknowledged ${kindOf.get(seq)} #${seq} stored ${found} times (${summary})`);
      if (kindOf.get(seq) === 'v2') assert.equal(v2Counts.get(seq), 1, `acknowledged v2 #${seq} in the assistant's logs`);
    }
    for (const [seq, n] of [...logCounts, ...v2Counts, ...eventCounts]) {
      assert.equal(n, 1, `#${seq} stored ${n} times (${summary})`);
      assert.ok(kindOf.has(seq), `#${seq} was never sent`);
    }
    t.diagnostic(`${summary}; stored: ${logCounts.size} logs, ${eventCounts.size} events`);
    // Unacknowledged writes may or may not have been committed before the kill; either way at most once (above).
  } finally {
    await lethe?.stop();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}));
