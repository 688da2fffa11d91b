import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFilter } from '../src/filter/watson-logs/index.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { customerId, SEED_DAYS, SEED_START, SEED_VERSION, seededDatabase } from './seed-logs.js';

const DATA = fileURLToPath(new URL('./.data', import.meta.url));
const SIZES = (process.env.BENCH_FILTER_SIZES ?? '1000000,10000000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_FILTER_RUNS ?? 60);
const WORDS = ['refund', 'fraud', 'mortgage', 'password', 'balance', 'overdraft', 'insurance', 'delivery', 'loyalty', 'statement'];

/** `days`: how many days of the seeded period the data covers (all of it unless a benchmark stops part-way). */
export interface QueryClass { label: string; filter: (i: number, days?: number) => string | null }

const day = (i: number) => new Date(SEED_START + i * 86_400_000).toISOString().slice(0, 10);
export const CLASSES: QueryClass[] = [
  { label: 'no filter (baseline)', filter: () => null },
  { label: 'indexed field: `customer_id::…`', filter: (i) => `customer_id::${customerId(100 + ((i * 7919) % 900))}` },
  { label: 'time range: one day of `request_timestamp`', filter: (i, days = SEED_DAYS) => `request_timestamp>=${day(i % days)},request_timestamp<${day((i % days) + 1)}` },
  { label: 'text contains: `request.input.text:…`', filter: (i) => `request.input.text:${WORDS[i % WORDS.length]}` },
  { label: 'combined: text and customer', filter: (i) => `request.input.text:${WORDS[i % WORDS.length]},customer_id::${customerId(100 + ((i * 7919) % 900))}` },
];

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function measure(path: string): Promise<string[]> {
  const store = openSqliteStore(`sqlite:${path}`, { synchronous: 'NORMAL' });
  const rows: string[] = [];
  for (const c of CLASSES) {
    const times: number[] = [];
    let returned = 0;
    for (let i = 0; i < RUNS; i++) {
      const filter = c.filter(i);
      const t0 = performance.now();
      const page = await store.logs.page({
        instanceId: 'bench', filter: filter ? parseFilter(filter, 'v1') : null, scope: {}, descending: i % 2 === 1, limit: 100, after: null,
      });
      times.push(performance.now() - t0);
      returned += page.logs.length;
    }
    times.sort((a, b) => a - b);
    rows.push(`| ${c.label} | ${percentile(times, 0.5).toFixed(1)} | ${percentile(times, 0.99).toFixed(1)} | ${(returned / RUNS).toFixed(0)} |`);
  }
  await store.close();
  return rows;
}

/** First-page latency of the logs filter over seeded databases of each size (seeded once, then cached). */
export async function filterLatency(): Promise<string> {
  const sections: string[] = [];
  for (const size of SIZES) {
    const started = Date.now();
    const path = seededDatabase(join(DATA, `logs-${size}-v${SEED_VERSION}.db`), size, (done) => {
      if (done % 1_000_000 === 0) process.stderr.write(`seeding ${size} rows: ${done} after ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    });
    const rows = await measure(path);
    sections.push(`### ${size.toLocaleString('en')} log rows\n\n| query (first page of 100, half ascending, half descending) | p50 ms | p99 ms | rows returned (mean) |\n|---|---:|---:|---:|\n${rows.join('\n')}\n`);
  }
  return `## Filter latency

- command: \`BENCH_SUITES=filter npm run bench\` (env: BENCH_FILTER_SIZES=${SIZES.join(',')}, BENCH_FILTER_RUNS=${RUNS})
- data: synthetic v1 logs (bench/seed-logs.ts): 100,000 customers and a banking vocabulary, both Zipf-distributed, over ${SEED_DAYS} days, one instance; seeded once into bench/.data and reused
- method: ${RUNS} first-page queries per class through the store's \`page()\` (SQL, row decoding and JSON parsing included), each with a different customer, day or word; target p50 under 50 ms at 10M rows

${sections.join('\n')}`;
}
