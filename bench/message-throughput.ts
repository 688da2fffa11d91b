import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { bankingWorkspace } from '../test/fixtures/workspace.js';
import { call } from '../test/helpers/http.js';
import { startLethe } from '../test/helpers/lethe-process.js';
import { CONNECTIONS, DURATION, load as loadBodies, median, method, ROUNDS, row, startEcho, type Result } from './load.js';

// 240 distinct user texts, so no layer can get away with answering from a cache.
const TEXTS = ['what is my balance', 'I want to transfer money', 'bye for now', 'how much money do I have',
  'move funds from checking', 'hello there', 'send dollars to John', 'show me my balance please']
  .flatMap((t) => ['', ' today', ' please', ' right now', ' in savings', ' from my phone'].flatMap((s) => [1, 2, 3, 4, 5].map((n) => `${t}${s} #${n}`)));
const BODIES = TEXTS.map((text) => JSON.stringify({ input: { text } }));
const load = (label: string, url: string, headers: Record<string, string>, seconds?: number) => loadBodies(label, url, headers, BODIES, seconds);

/** Messages/s through POST …/message with durable logging, against bare echo servers in the same run. */
export async function messageThroughput(): Promise<string> {
  const echo = await startEcho('node');
  const fastifyEcho = await startEcho('fastify');
  const dir = mkdtempSync(join(tmpdir(), 'lethe-bench-'));
  const lethe = await startLethe({ dir, env: { LETHE_SQLITE_SYNCHRONOUS: 'FULL' }, keepOutput: false });
  const auth = { authorization: `Basic ${Buffer.from(`apikey:${lethe.adminKey}`).toString('base64')}` };
  const ws = (await call(lethe.url, 'POST', '/v1/workspaces?version=2021-06-14', { key: lethe.adminKey, body: bankingWorkspace })).body.workspace_id;
  const messageUrl = `${lethe.url}/v1/workspaces/${ws}/message?version=2021-06-14`;
  const headers = { ...auth, 'x-watson-metadata': 'customer_id=bench-customer' };
  await load('warm-up', echo.url, {}, 3);
  await load('warm-up', fastifyEcho.url, {}, 3);
  const warm = await load('warm-up', messageUrl, headers, 3);

  const echoRuns: Result[] = [];
  const fastifyRuns: Result[] = [];
  const letheRuns: Result[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    echoRuns.push(await load('bare node:http echo (baseline)', echo.url, {}));
    fastifyRuns.push(await load('bare Fastify echo (framework floor)', fastifyEcho.url, {}));
    letheRuns.push(await load('Lethe v1 message, logged, group commit, synchronous=FULL', messageUrl, headers));
  }
  echo.child.kill();
  fastifyEcho.child.kill();
  await lethe.stop();
  const baseline = median(echoRuns);
  const framework = median(fastifyRuns);
  const lethe1 = median(letheRuns);

  // Every acknowledged message must be in the database: the figure only counts if nothing was lost.
  const db = new Database(lethe.dbPath, { readonly: true });
  const stored = (db.prepare('SELECT count(*) AS n FROM logs').get() as { n: number }).n;
  db.close();
  const acknowledged = warm.total2xx + letheRuns.reduce((n, r) => n + r.total2xx, 0);
  rmSync(dir, { recursive: true, force: true });

  const ratio = lethe1.rps / baseline.rps;
  if (stored < acknowledged) throw new Error(`lost messages: ${acknowledged} acknowledged, ${stored} stored`);
  return `## Message throughput with durable logging

- command: \`BENCH_SUITES=message npm run bench\` (env: BENCH_SECONDS=${DURATION}, BENCH_CONNECTIONS=${CONNECTIONS}, BENCH_ROUNDS=${ROUNDS})
${method('server')}, and every round is listed below it

Lethe runs as its own process with SQLite in WAL mode and \`synchronous=FULL\` (every commit fsynced); each reply
is sent only after its log row is committed (group commit), by a writer thread. The body is one of ${TEXTS.length} distinct user texts; each
request carries an API key and an \`X-Watson-Metadata\` customer ID. Log level \`info\`, as in production (access lines for failed and slow
requests only; see README).

| server | req/s | messages/s | p50 ms | p99 ms | errors / non-2xx |
|---|---:|---:|---:|---:|---:|
${row(baseline)}
${row(framework)}
${row(lethe1)}

All rounds, req/s: echo ${echoRuns.map((r) => Math.round(r.rps)).join(', ')}; Fastify echo ${fastifyRuns.map((r) => Math.round(r.rps)).join(', ')}; Lethe ${letheRuns.map((r) => Math.round(r.rps)).join(', ')}.

**Lethe reaches ${(ratio * 100).toFixed(1)} % of the bare echo's throughput** (target: at least 40 %); the bare
Fastify echo, which every Lethe route is built on, reaches ${(100 * framework.rps / baseline.rps).toFixed(1)} % on its own.
Acknowledged messages: ${acknowledged.toLocaleString('en')}; log rows in the database afterwards: ${stored.toLocaleString('en')}
(the run fails if any acknowledged message is missing).
`;
}
