import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportLogs, type LogExportFormat } from '../src/core/logs/log-export.js';
import { Metrics } from '../src/core/metrics/metrics.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { SEED_DAYS, SEED_START, SEED_VERSION, seededDatabase } from './seed-logs.js';

const DATA = fileURLToPath(new URL('./.data', import.meta.url));
const SIZES = (process.env.BENCH_METRICS_SIZES ?? '1000000,10000000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_METRICS_RUNS ?? 30);
const EXPORT_ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 200_000);

const date = (day: number) => new Date(SEED_START + day * 86_400_000).toISOString().slice(0, 10);
const RANGES: { label: string; from: (i: number) => string; to: (i: number) => string; deployment?: string }[] = [
  { label: `all ${SEED_DAYS} days`, from: () => date(0), to: () => date(SEED_DAYS - 1) },
  { label: 'all days, one deployment', from: () => date(0), to: () => date(SEED_DAYS - 1), deployment: 'web' },
  { label: 'one week inside the range', from: (i) => date(7 + (i % 70)), to: (i) => date(13 + (i % 70)) },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function overviewRows(store: Store): Promise<string[]> {
  const metrics = new Metrics(store);
  const rows: string[] = [];
  for (const r of RANGES) {
    const times: number[] = [];
    let messages = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const m = await metrics.overview({ instanceId: 'bench', from: r.from(i), to: r.to(i), deployment: r.deployment, coverageThreshold: 0.2 + (i % 5) / 10 }, Date.now());
      times.push(performance.now() - t0);
      messages += m.messages;
    }
    times.sort((a, b) => a - b);
    rows.push(`| ${r.label} | ${percentile(times, 0.5).toFixed(1)} | ${percentile(times, 0.99).toFixed(1)} | ${Math.round(messages / RUNS).toLocaleString('en')} |`);
  }
  return rows;
}

async function exportRow(store: Store, format: LogExportFormat): Promise<string> {
  const file = exportLogs(store.logs, { instanceId: 'bench', surface: 'any', scope: {}, format });
  let rows = 0;
  let bytes = 0;
  const t0 = performance.now();
  for await (const chunk of file.chunks()) {
    rows += chunk.logs;
    bytes += Buffer.byteLength(chunk.text);
    if (rows >= EXPORT_ROWS) break;
  }
  const s = (performance.now() - t0) / 1000;
  return `| ${format} | ${rows.toLocaleString('en')} | ${Math.round(rows / s).toLocaleString('en')} | ${(bytes / 2 ** 20 / s).toFixed(1)} |`;
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
    const overview = await overviewRows(store);
    const exports = [await exportRow(store, 'csv'), await exportRow(store, 'jsonl')];
    await store.close();
    sections.push(`### ${size.toLocaleString('en')} log rows

| overview (totals, coverage, outcomes, unique users, top intents, per-day series) | p50 ms | p99 ms | messages counted |
|---|---:|---:|---:|
${overview.join('\n')}

| export format (first ${EXPORT_ROWS.toLocaleString('en')} rows, in time order) | rows | rows/s | MiB/s |
|---|---:|---:|---:|
${exports.join('\n')}
`);
  }
  return `## Metrics and exports

- command: \`BENCH_SUITES=metrics npm run bench\` (env: BENCH_METRICS_SIZES=${SIZES.join(',')}, BENCH_METRICS_RUNS=${RUNS}, BENCH_EXPORT_ROWS=${EXPORT_ROWS})
- data: the seeded databases of the filter suite (bench/seed-logs.ts), whose rows went through the ingest appender and so through the metric aggregates
- method: ${RUNS} overviews per range through \`Metrics.overview\` (the domain call behind \`GET /api/v1/metrics/overview\`), with coverage thresholds from 0.2 to 0.6; target under 1 s at 10M messages. Export: the streaming generator behind \`GET /api/v1/logs/export\` (page reads, row decoding, formatting), without HTTP

${sections.join('\n')}`;
}
