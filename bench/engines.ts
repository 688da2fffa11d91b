import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '../src/model/ids.js';
import { IngestWriter } from '../src/core/ingest/ingest-writer.js';
import { parseFilter } from '../src/filter/watson-logs/index.js';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { createTestDatabase } from '../test/helpers/postgres-database.js';
import { seededRandom } from '../test/helpers/seeded-random.js';
import { CLASSES, percentile } from './filter-latency.js';
import { customerId, SEED_DAYS, seedLog } from './seed-logs.js';

const SIZES = (process.env.BENCH_ENGINES_SIZES ?? '1000000,10000000').split(',').map(Number);
const TOTAL = Math.max(...SIZES);
const RUNS = Number(process.env.BENCH_ENGINES_RUNS ?? 30);
/**
 * Customers by rank in the Zipf draw: a frequent one, a middling one, a rare one. Each size deletes its own three
 * (the ranks shift by one), so a larger size never measures a customer already erased at a smaller one.
 */
const deletedAt = (sizeIndex: number) => [3, 60, 4000].map((rank) => customerId(rank + sizeIndex));

interface Engine { name: string; open: () => Promise<Store>; dispose: () => Promise<void> }

function engines(): Engine[] {
  const dir = mkdtempSync(join(tmpdir(), 'lethe-bench-engines-'));
  const list: Engine[] = [{
    name: 'SQLite', open: async () => openSqliteStore(`sqlite:${join(dir, 'bench.db')}`, { synchronous: 'FULL' }),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  }];
  if (process.env.LETHE_TEST_POSTGRES_URL) {
    let drop = async () => {};
    list.push({
      name: 'PostgreSQL',
      open: async () => {
        const db = await createTestDatabase('bench');
        drop = db.drop;
        return openPostgresStore(db.url);
      },
      dispose: () => drop(),
    });
  }
  return list;
}

/**
 * Messages through the group-commit writer, as the message route sends them: many in flight, each awaited. Rows
 * `from` to `to` of one seeded stream of TOTAL (so each size is the first part of the largest); returns messages/s.
 */
async function ingest(store: Store, rnd: () => number, from: number, to: number): Promise<number> {
  const writer = new IngestWriter((w) => store.ingest(w));
  const wave = 4000;
  const t0 = performance.now();
  for (let i = from; i < to; i += wave) {
    await Promise.all(Array.from({ length: Math.min(wave, to - i) }, (_, j) => writer.write({ log: seedLog(rnd, i + j, TOTAL) })));
    if ((i + wave) % 500_000 === 0) process.stderr.write(`  ${i + wave} rows after ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  return (to - from) / ((performance.now() - t0) / 1000);
}

/** `days`: how many days of the seeded period the stored rows cover. */
async function filterLatencies(store: Store, days: number): Promise<string[]> {
  const rows: string[] = [];
  for (const c of CLASSES) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const filter = c.filter(i, days);
      const t0 = performance.now();
      await store.logs.page({ instanceId: 'bench', filter: filter ? parseFilter(filter, 'v1') : null, scope: {}, descending: i % 2 === 1, limit: 100, after: null });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    rows.push(`${percentile(times, 0.5).toFixed(1)} / ${percentile(times, 0.99).toFixed(1)}`);
  }
  return rows;
}

/** A whole deletion job's store work: claim, chunks of 2000, verification count, residue erasure. */
async function deletion(store: Store, customer: string): Promise<{ rows: number; deleteMs: number; eraseMs: number }> {
  const now = Date.now();
  const jobId = newId();
  await store.jobs.insert({
    jobId, instanceId: 'bench', subjectKind: 'customer_id', subjectValue: customer, subjectHash: 'h', cutoffTs: now, status: 'queued', attempts: 0,
    createdAt: 0, startedAt: null, finishedAt: null, verifiedAt: null, verification: null, deletedLogs: 0, deletedSessions: 0, deletedEvents: 0, error: null, requestedBy: null,
  });
  const t0 = performance.now();
  const job = await store.jobs.claim('bench', now, 600_000);
  if (job?.jobId !== jobId) throw new Error('the benchmark job was not the one claimed');
  const subject = { kind: 'customer_id' as const, value: customer };
  let rows = 0;
  for (;;) {
    const r = await store.logs.deleteSubjectChunk({ jobId, owner: 'bench' }, 'bench', subject, now, 2000);
    rows += r.logs;
    if (r.done) break;
  }
  if ((await store.subjects.holdings('bench', { logs: [subject], events: [] }, now)).logs !== 0) throw new Error('deletion left rows behind');
  const t1 = performance.now();
  await store.logs.eraseResidue();
  const t2 = performance.now();
  await store.jobs.finish(jobId, 'bench', { status: 'completed', at: Date.now(), error: null });
  return { rows, deleteMs: t1 - t0, eraseMs: t2 - t1 };
}

interface SizeResult { ingest: number; filters: string[]; deletions: Awaited<ReturnType<typeof deletion>>[] }

/** One engine grown through every size in turn, measured at each. */
async function measureEngine(engine: Engine): Promise<SizeResult[]> {
  const store = await engine.open();
  try {
    const rnd = seededRandom(1);
    const results: SizeResult[] = [];
    let stored = 0;
    for (const [k, size] of SIZES.entries()) {
      process.stderr.write(`engines: ${engine.name}, ${stored} → ${size} rows\n`);
      const rate = await ingest(store, rnd, stored, size);
      stored = size;
      const filters = await filterLatencies(store, Math.max(1, Math.floor((size / TOTAL) * SEED_DAYS)));
      const deletions = [];
      for (const customer of deletedAt(k)) deletions.push(await deletion(store, customer));
      results.push({ ingest: rate, filters, deletions });
    }
    return results;
  } finally {
    await store.close();
    await engine.dispose();
  }
}

/** Both engines side by side in one run: ingest rate, filter latency and deletion latency at each size. */
export async function engineComparison(): Promise<string> {
  const measured: { name: string; sizes: SizeResult[] }[] = [];
  for (const engine of engines()) measured.push({ name: engine.name, sizes: await measureEngine(engine) });
  const header = `| | ${measured.map((r) => r.name).join(' | ')} |\n|---|${measured.map(() => '---:').join('|')}|`;
  const line = (label: string, cells: string[]) => `| ${label} | ${cells.join(' | ')} |`;
  const tables = SIZES.map((size, k) => {
    const at = measured.map((m) => m.sizes[k]!);
    return `### ${size.toLocaleString('en')} log rows

${header}
${line(`ingest from ${(k ? SIZES[k - 1]! : 0).toLocaleString('en')} to ${size.toLocaleString('en')} rows, messages/s`, at.map((r) => r.ingest.toFixed(0)))}
${CLASSES.map((c, i) => line(`filter ${c.label}, ms`, at.map((r) => r.filters[i]!))).join('\n')}
${deletedAt(k).map((customer, i) => line(`delete ${customer}: rows, delete ms + erase ms`, at.map((r) => {
    const d = r.deletions[i]!;
    return `${d.rows} rows, ${d.deleteMs.toFixed(0)} + ${d.eraseMs.toFixed(0)}`;
  }))).join('\n')}
`;
  });
  return `## Engines side by side

- command: \`LETHE_TEST_POSTGRES_URL=… BENCH_SUITES=engines npm run bench\` (env: BENCH_ENGINES_SIZES=${SIZES.join(',')}, BENCH_ENGINES_RUNS=${RUNS})
- data: one stream of ${TOTAL.toLocaleString('en')} synthetic v1 logs (bench/seed-logs.ts, timestamps spread over its ${SEED_DAYS} days), written into an
  empty database of each engine, one engine after the other; each engine is measured when it holds each size, then grows to the next
- ingest: through the group-commit writer (IngestWriter → Store.ingest), 4,000 messages in flight; SQLite with synchronous=FULL, PostgreSQL with its defaults (fsync, synchronous_commit on)
- filters: first page of 100 through \`page()\`, ${RUNS} runs per class, p50 / p99 in ms
- deletion: one customer's whole job at store level (claim, chunks of 2,000, verification count), then residue erasure (SQLite: WAL checkpoint; PostgreSQL: VACUUM)
- SQLite's full-text index is measured as ingest leaves it: this suite runs no IndexCompactor, which in a server merges
  each ended month into one segment. Its text searches and deletions are therefore the uncompacted worst case (see
  "Deletion latency" for the compacted one)

${tables.join('\n')}`;
}
