import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startLethe } from '../test/helpers/lethe-process.js';
import { CONNECTIONS, DURATION, load, median, method, ROUNDS, row, startEcho, type Result } from './load.js';

const BATCH = 3;
const searchEvent = (i: number) => ({
  searchQueryUid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, queryText: `query ${i % 97}`, actionCause: 'searchboxSubmit',
  responseTime: 10 + (i % 50), language: 'en', originLevel1: 'BenchHub', numberOfResults: i % 20, username: `user-${i % 1000}`,
  customData: { context_role: 'bench' }, clientId: `c0ffee00-0000-4000-8000-${String(i % 5000).padStart(12, '0')}`,
});
const SINGLE = Array.from({ length: 500 }, (_, i) => JSON.stringify(searchEvent(i)));
const BATCHES = Array.from({ length: 500 }, (_, i) => JSON.stringify(Array.from({ length: BATCH }, (_, j) => searchEvent(i * BATCH + j))));

/** Events/s through /search (one per request) and /searches (batches), against a bare echo in the same run. */
export async function eventThroughput(): Promise<string> {
  const echo = await startEcho('node');
  const dir = mkdtempSync(join(tmpdir(), 'lethe-bench-events-'));
  const lethe = await startLethe({ dir, env: { LETHE_SQLITE_SYNCHRONOUS: 'FULL', LETHE_RATE_LIMIT_PER_MINUTE: '0' }, keepOutput: false });
  const headers = { authorization: `Bearer ${lethe.adminKey}` };
  const single = `${lethe.url}/rest/ua/v15/analytics/search`;
  const batch = `${lethe.url}/rest/ua/v15/analytics/searches`;
  await load('warm-up', echo.url, {}, SINGLE, 3);
  const warm = await load('warm-up', single, headers, SINGLE, 3);

  const runs: Record<'echo' | 'single' | 'batch', Result[]> = { echo: [], single: [], batch: [] };
  for (let i = 0; i < ROUNDS; i++) {
    runs.echo.push(await load('bare node:http echo (baseline)', echo.url, {}, SINGLE));
    runs.single.push(await load('Lethe /analytics/search, one event per request', single, headers, SINGLE));
    runs.batch.push(await load(`Lethe /analytics/searches, ${BATCH} events per request`, batch, headers, BATCHES));
  }
  echo.child.kill();
  await lethe.stop();
  const db = new Database(lethe.dbPath, { readonly: true });
  const stored = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  const acknowledged = warm.total2xx + runs.single.reduce((n, r) => n + r.total2xx, 0) + BATCH * runs.batch.reduce((n, r) => n + r.total2xx, 0);
  if (stored < acknowledged) throw new Error(`lost events: ${acknowledged} acknowledged, ${stored} stored`);

  const [e, s, b] = [median(runs.echo), median(runs.single), median(runs.batch)];
  return `## Usage-analytics event ingestion

- command: \`BENCH_SUITES=events npm run bench\` (env: BENCH_SECONDS=${DURATION}, BENCH_CONNECTIONS=${CONNECTIONS}, BENCH_ROUNDS=${ROUNDS})
${method('server and endpoint')}

Search events as coveo.analytics sends them (1,000 users, 5,000 visitors), each acknowledged only after it is committed
(group commit shared with messages, SQLite \`synchronous=FULL\`), with identity resolution, IP hashing and the subject index.

| server | req/s | events/s | p50 ms | p99 ms | errors / non-2xx |
|---|---:|---:|---:|---:|---:|
${row(e)}
${row(s)}
${row(b, BATCH)}

One event per request reaches **${((100 * s.rps) / e.rps).toFixed(1)} %** of the bare echo's request rate; batches of ${BATCH} bring
**${((100 * b.rps * BATCH) / e.rps).toFixed(1)} %** of the echo's rate in events. Acknowledged events: ${acknowledged.toLocaleString('en')};
rows stored: ${stored.toLocaleString('en')} (the run fails if any acknowledged event is missing).
`;
}
