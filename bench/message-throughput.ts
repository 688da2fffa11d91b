import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { bankingWorkspace } from '../test/fixtures/workspace.js';
import { call } from '../test/helpers/http.js';
import { startLethe } from '../test/helpers/lethe-process.js';
import { CONNECTIONS, DURATION, load as loadBodies, median, method, ROOT, ROUNDS, row, startEcho, type Result } from './load.js';

// 240 distinct user texts, so no layer can get away with answering from a cache.
const TEXTS = ['what is my balance', 'I want to transfer money', 'bye for now', 'how much money do I have',
  'move funds from checking', 'hello there', 'send dollars to John', 'show me my balance please']
  .flatMap((t) => ['', ' today', ' please', ' right now', ' in savings', ' from my phone'].flatMap((s) => [1, 2, 3, 4, 5].map((n) => `${t}${s} #${n}`)));
const BODIES = TEXTS.map((text) => JSON.stringify({ input: { text } }));
const load = (label: string, url: string, headers: Record<string, string>, seconds?: number) => loadBodies(label, url, headers, BODIES, seconds);

const rounds = (runs: Result[]) => runs.map((r) => Math.round(r.rps)).join(', ');

/** Creates the banking workspace on a server and returns its v1 message URL. */
async function messageRoute(url: string, key: string): Promise<string> {
  const ws = (await call(url, 'POST', '/v1/workspaces?version=2021-06-14', { key, body: bankingWorkspace })).body.workspace_id;
  return `${url}/v1/workspaces/${ws}/message?version=2021-06-14`;
}

/** Messages/s through POST …/message with durable logging, against bare echo servers and the ceiling in the same run. */
export async function messageThroughput(): Promise<string> {
  const echo = await startEcho('node');
  const fastifyEcho = await startEcho('fastify');
  const dir = mkdtempSync(join(tmpdir(), 'lethe-bench-'));
  const env = { LETHE_SQLITE_SYNCHRONOUS: 'FULL', LETHE_RATE_LIMIT_PER_MINUTE: '0' };
  const lethe = await startLethe({ dir, env, keepOutput: false });
  const ceilingDir = mkdtempSync(join(tmpdir(), 'lethe-bench-'));
  const ceiling = await startLethe({ dir: ceilingDir, env, keepOutput: false, script: join(ROOT, 'bench/ceiling-server.ts') });
  const messageUrl = await messageRoute(lethe.url, lethe.adminKey);
  const ceilingUrl = await messageRoute(ceiling.url, ceiling.adminKey);
  const headers = (key: string) => ({ authorization: `Basic ${Buffer.from(`apikey:${key}`).toString('base64')}`, 'x-watson-metadata': 'customer_id=bench-customer' });
  await load('warm-up', echo.url, {}, 3);
  await load('warm-up', fastifyEcho.url, {}, 3);
  await load('warm-up', ceilingUrl, headers(ceiling.adminKey), 3);
  const warm = await load('warm-up', messageUrl, headers(lethe.adminKey), 3);

  const echoRuns: Result[] = [];
  const fastifyRuns: Result[] = [];
  const letheRuns: Result[] = [];
  const ceilingRuns: Result[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    echoRuns.push(await load('bare node:http echo (baseline)', echo.url, {}));
    fastifyRuns.push(await load('bare Fastify echo (framework floor)', fastifyEcho.url, {}));
    ceilingRuns.push(await load('Lethe v1 message, store writes dropped (ceiling, not durable)', ceilingUrl, headers(ceiling.adminKey)));
    letheRuns.push(await load('Lethe v1 message, logged, group commit, synchronous=FULL', messageUrl, headers(lethe.adminKey)));
  }
  echo.child.kill();
  fastifyEcho.child.kill();
  await lethe.stop();
  await ceiling.stop();
  rmSync(ceilingDir, { recursive: true, force: true });
  const baseline = median(echoRuns);
  const framework = median(fastifyRuns);
  const top = median(ceilingRuns);
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
${row(top)}
${row(lethe1)}

All rounds, req/s: echo ${rounds(echoRuns)}; Fastify echo ${rounds(fastifyRuns)}; ceiling ${rounds(ceilingRuns)}; Lethe ${rounds(letheRuns)}.

**Lethe reaches ${(ratio * 100).toFixed(1)} % of the bare echo's throughput** (target: at least 40 %); the bare
Fastify echo, which every Lethe route is built on, reaches ${(100 * framework.rps / baseline.rps).toFixed(1)} % on its own.
The ceiling server (bench/ceiling-server.ts) is the same server with store writes dropped after encoding: the request
path alone (auth, validation, the skill, redaction, building the reply and the log row) reaches
**${(100 * top.rps / baseline.rps).toFixed(1)} %** of the echo, and durable logging keeps ${(100 * lethe1.rps / top.rps).toFixed(1)} % of that.
${top.rps / baseline.rps < 0.4 ? 'Durable logging can only lower the ceiling, so on this machine the 40 % target needs a faster request path first.' : ''}
Acknowledged messages: ${acknowledged.toLocaleString('en')}; log rows in the database afterwards: ${stored.toLocaleString('en')}
(the run fails if any acknowledged message is missing).
`;
}
