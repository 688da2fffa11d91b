import { startLethe } from '../test/helpers/lethe-process.js';
import { percentile, runMixedLoad } from '../test/helpers/mixed-load.js';
import { TEST_POSTGRES_URL } from '../test/helpers/postgres-database.js';
import { seededRandom } from '../test/helpers/seeded-random.js';
import { freshDatabase, type Engine } from '../test/helpers/test-engines.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONNECTIONS ?? 16);
const ENGINE_NAMES: Record<Engine, string> = { sqlite: 'SQLite (`synchronous=FULL`)', postgres: 'PostgreSQL (its defaults: fsync, `synchronous_commit` on)' };
const ms = (n: number) => n.toFixed(1);

/** One engine's table: operations, throughput, latency and statuses per kind, and the server's memory over the run. */
async function measure(engine: Engine): Promise<string> {
  const database = await freshDatabase(engine, 'reliability');
  // No rate limit: this measures what the server does, not what it is allowed to be asked.
  const lethe = await startLethe({ databaseUrl: database.url, env: { LETHE_SQLITE_SYNCHRONOUS: 'FULL', LETHE_RATE_LIMIT_PER_MINUTE: '0' }, keepOutput: false });
  try {
    const r = await runMixedLoad({ url: lethe.url, key: lethe.adminKey, pid: lethe.pid, seconds: SECONDS, warmupSeconds: 5, concurrency: CONCURRENCY, random: seededRandom(42) });
    const total = Object.values(r.kinds).reduce((n, s) => n + s.count, 0);
    const rows = Object.entries(r.kinds).map(([kind, s]) =>
      `| ${kind} | ${s.count.toLocaleString('en')} | ${Math.round(s.count / r.seconds).toLocaleString('en')} | ${ms(percentile(s.latencies, 50))} | ${ms(percentile(s.latencies, 99))} | ${Object.entries(s.statuses).map(([st, n]) => `${st}: ${n}`).join(', ')} |`);
    return `### ${ENGINE_NAMES[engine]}

| kind | operations | per second | p50 ms | p99 ms | statuses |
|---|---:|---:|---:|---:|---|
${rows.join('\n')}
| all | ${total.toLocaleString('en')} | ${Math.round(total / r.seconds).toLocaleString('en')} | | | |

Server resident memory, MiB, after warm-up, then at every tenth of the run: ${r.rssMiB.map(Math.round).join(', ')} (lowest ${Math.round(Math.min(...r.rssMiB))}, highest ${Math.round(Math.max(...r.rssMiB))}).
`;
  } finally {
    await lethe.stop();
    lethe.cleanup();
    await database.drop();
  }
}

/** Sustained mixed load against one server per engine (PostgreSQL when LETHE_TEST_POSTGRES_URL names a server). */
export async function reliabilityBench(): Promise<string> {
  const engines: Engine[] = TEST_POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  const sections: string[] = [];
  for (const engine of engines) sections.push(await measure(engine));
  return `## Reliability: sustained mixed load

- command: \`[LETHE_TEST_POSTGRES_URL=…] BENCH_SUITES=reliability npm run bench\` (env: BENCH_SECONDS=${SECONDS}, BENCH_CONNECTIONS=${CONCURRENCY})
- ${CONCURRENCY} concurrent clients (plain fetch, in the bench process on the same host) for ${SECONDS} s after a 5 s warm-up, against one server on an empty database of each engine; the mix: 60% ingestion (v1 and v2 messages, Coveo events, in turn), 30% filter queries (logs by customer, full-text, intent; a Coveo user overview), 7% exports (a customer's logs as JSONL, a Coveo export), 3% deletions (a customer's data); every acknowledged write durable; rate limit off

${sections.join('\n')}`;
}
