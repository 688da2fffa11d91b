import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { exportLogs, EXPORT_PAGE, type LogExportFormat } from '../src/core/logs/log-export.js';
import { Metrics } from '../src/core/metrics/metrics.js';
import { seqFloor } from '../src/model/log-sequence.js';
import type { LogCursor } from '../src/model/logs.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { percentile } from './filter-latency.js';
import { SEED_DAYS, SEED_START, SEED_VERSION, seededDatabase } from './seed-logs.js';

const DATA = fileURLToPath(new URL('./.data', import.meta.url));
const SIZES = (process.env.BENCH_METRICS_SIZES ?? '1000000,10000000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_METRICS_RUNS ?? 30);
const BASELINE_RUNS = Number(process.env.BENCH_METRICS_BASELINE_RUNS ?? 3);
const EXPORT_ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
const DAY = 86_400_000;
const MIB = 2 ** 20;

const date = (day: number) => new Date(SEED_START + day * DAY).toISOString().slice(0, 10);
interface Range { label: string; from: (i: number) => number; to: (i: number) => number; deployment?: string }
/** Days of the seeded period, both included. */
const RANGES: Range[] = [
  { label: `all ${SEED_DAYS} days`, from: () => 0, to: () => SEED_DAYS - 1 },
  { label: 'all days, one deployment', from: () => 0, to: () => SEED_DAYS - 1, deployment: 'web' },
  { label: 'one week inside the range', from: (i) => 7 + (i % 70), to: (i) => 13 + (i % 70) },
];
const thresholdOf = (i: number) => 0.2 + (i % 5) / 10;

/** p50, p99 and the mean of what each run counted. */
async function timeRuns(runs: number, run: (i: number) => Promise<number>): Promise<string> {
  const times: number[] = [];
  let counted = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    counted += await run(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return `${percentile(times, 0.5).toFixed(1)} | ${percentile(times, 0.99).toFixed(1)} | ${Math.round(counted / runs).toLocaleString('en')}`;
}

function overviewRun(metrics: Metrics, r: Range) {
  return async (i: number) => (await metrics.overview({
    instanceId: 'bench', from: date(r.from(i)), to: date(r.to(i)), deployment: r.deployment, coverageThreshold: thresholdOf(i),
  }, Date.now())).messages;
}

/**
 * The baseline: the headline totals (messages, conversations, unique users, coverage) computed from the log rows
 * themselves, one key-range scan, as a notebook over exported logs does. The overview answers more than this from its
 * aggregates.
 */
function scanRun(db: Database.Database, r: Range) {
  const scan = db.prepare(`
    SELECT count(*) AS messages, count(DISTINCT conversation_id) AS conversations, count(DISTINCT user_id) AS users,
      sum(top_confidence >= ?) AS covered
    FROM logs WHERE seq >= ? AND seq < ? AND instance_id = 'bench' AND (? IS NULL OR deployment = ?)`);
  return async (i: number) => {
    const row = scan.get(thresholdOf(i), seqFloor(SEED_START + r.from(i) * DAY), seqFloor(SEED_START + (r.to(i) + 1) * DAY),
      r.deployment ?? null, r.deployment ?? null) as { messages: number };
    return row.messages;
  };
}

async function overviewRows(store: Store, path: string): Promise<string[]> {
  const metrics = new Metrics(store);
  const db = new Database(path, { readonly: true });
  const rows: string[] = [];
  for (const r of RANGES) {
    rows.push(`| ${r.label} | ${await timeRuns(RUNS, overviewRun(metrics, r))} |`);
    rows.push(`| ${r.label}: baseline, totals scanned from the logs (${BASELINE_RUNS} runs) | ${await timeRuns(BASELINE_RUNS, scanRun(db, r))} |`);
  }
  db.close();
  return rows;
}

/** Rows, rows/s, MiB/s, and resident memory before and at its highest while streaming (sampled every page). */
async function streamRow(label: string, pages: AsyncIterable<{ logs: number; bytes: number }>): Promise<string> {
  let rows = 0;
  let bytes = 0;
  const rssBefore = process.memoryUsage.rss();
  let rssPeak = rssBefore;
  const t0 = performance.now();
  for await (const page of pages) {
    rows += page.logs;
    bytes += page.bytes;
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    if (rows >= EXPORT_ROWS) break;
  }
  const s = (performance.now() - t0) / 1000;
  return `| ${label} | ${rows.toLocaleString('en')} | ${Math.round(rows / s).toLocaleString('en')} | ${bytes ? (bytes / MIB / s).toFixed(1) : '—'} | ${Math.round(rssBefore / MIB)} → ${Math.round(rssPeak / MIB)} |`;
}

async function* exportPages(store: Store, format: LogExportFormat) {
  for await (const chunk of exportLogs(store.logs, { instanceId: 'bench', surface: 'any', scope: {}, format }).chunks()) {
    yield { logs: chunk.logs, bytes: Buffer.byteLength(chunk.text) };
  }
}

/** The baseline: the same pages read and decoded by the store, nothing formatted. */
async function* storePages(store: Store) {
  let after: LogCursor | null = null;
  do {
    const page = await store.logs.page({ instanceId: 'bench', filter: null, scope: {}, descending: false, limit: EXPORT_PAGE, after });
    yield { logs: page.logs.length, bytes: 0 };
    after = page.next;
  } while (after);
}

async function exportRows(store: Store): Promise<string[]> {
  return [
    await streamRow('baseline: page reads only, nothing formatted', storePages(store)),
    await streamRow('csv', exportPages(store, 'csv')),
    await streamRow('jsonl', exportPages(store, 'jsonl')),
  ];
}

/** Overview latency over the pre-computed aggregates of seeded databases, and log export throughput. */
export async function metricsBench(): Promise<string> {
  const sections: string[] = [];
  for (const size of SIZES) {
    const started = Date.now();
    const path = seededDatabase(join(DATA, `logs-${size}-v${SEED_VERSION}.db`), size, (done) => {
      if (done % 1_000_000 === 0) process.stderr.write(`seeding ${size} rows: ${done} after ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    });
    const store = openSqliteStore(`sqlite:${path}`, { synchronous: 'NORMAL' });
    const overview = await overviewRows(store, path);
    const exports = await exportRows(store);
    await store.close();
    sections.push(`### ${size.toLocaleString('en')} log rows

| overview (totals, coverage, outcomes, unique users, top intents, per-day series) | p50 ms | p99 ms | messages counted |
|---|---:|---:|---:|
${overview.join('\n')}

| export (first ${EXPORT_ROWS.toLocaleString('en')} rows, in time order) | rows | rows/s | MiB/s | RSS MiB: before → peak |
|---|---:|---:|---:|---:|
${exports.join('\n')}
`);
  }
  return `## Metrics and exports

- command: \`BENCH_SUITES=metrics npm run bench\` (env: BENCH_METRICS_SIZES=${SIZES.join(',')}, BENCH_METRICS_RUNS=${RUNS}, BENCH_METRICS_BASELINE_RUNS=${BASELINE_RUNS}, BENCH_EXPORT_ROWS=${EXPORT_ROWS})
- data: the seeded databases of the filter suite (bench/seed-logs.ts), whose rows went through the ingest appender and so through the metric aggregates
- method: ${RUNS} overviews per range through \`Metrics.overview\` (the domain call behind \`GET /api/v1/metrics/overview\`), with coverage thresholds from 0.2 to 0.6; target under 1 s at 10M messages. Baseline, same run: the headline totals (messages, distinct conversations, distinct users, covered messages) computed by one scan of the range's log rows, as a notebook over exported logs computes them
- export: the streaming generator behind \`GET /api/v1/logs/export\` (page reads of ${EXPORT_PAGE}, row decoding, formatting), without HTTP; baseline, same run: the same page reads with nothing formatted. Memory is the bench process's resident set before the export and its highest value while streaming

${sections.join('\n')}`;
}
