import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startLethe } from '../helpers/lethe-process.js';
import { describeEachEngine, freshDatabase } from '../helpers/test-engines.js';
import { runMixedLoad } from '../helpers/mixed-load.js';
import { seededRandom } from '../helpers/seeded-random.js';

// A leak guard, not a speed target: the machine running the tests is shared, so only generous bounds hold.
const SECONDS = Number(process.env.LETHE_LOAD_SECONDS ?? 15);
const RSS_GROWTH_LIMIT_MIB = 150;

describeEachEngine('mixed load', (engine) => test(`mixed load for ${SECONDS} s: only 2xx and deliberate 429s, memory flat after warm-up`, { timeout: 120_000 }, async (t) => {
  const database = await freshDatabase(engine, 'load');
  // The default limit (6000 a minute per key): one key from 8 clients may meet it, and then must answer 429, nothing worse.
  const lethe = await startLethe({ env: { LETHE_DATABASE_URL: database.url } });
  try {
    const result = await runMixedLoad({ url: lethe.url, key: lethe.adminKey, pid: lethe.pid, seconds: SECONDS, warmupSeconds: 3, concurrency: 8, random: seededRandom(11) });
    const report = JSON.stringify({ rss: result.rssMiB.map(Math.round), statuses: Object.fromEntries(Object.entries(result.kinds).map(([k, s]) => [k, s.statuses])) });
    t.diagnostic(report);
    for (const [kind, s] of Object.entries(result.kinds)) {
      assert.ok(s.count > 0, `some ${kind} operations ran: ${report}`);
      for (const status of Object.keys(s.statuses)) assert.ok(/^2\d\d$|^429$/.test(status), `${kind} answered ${status}: ${report}`);
    }
    assert.ok(result.rssMiB.at(-1)! - result.rssMiB[0]! < RSS_GROWTH_LIMIT_MIB, `server memory grew too much: ${report}`);
    assert.doesNotMatch(lethe.output(), /request failed/);
  } finally {
    await lethe.stop();
    lethe.cleanup();
    await database.drop();
  }
}));
