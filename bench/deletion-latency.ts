import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { MessageWrite } from '../src/model/ingest.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { call } from '../test/helpers/http.js';
import { startLethe } from '../test/helpers/lethe-process.js';
import { seededRandom } from '../test/helpers/seeded-random.js';
import { compactSearchIndex, SEED_DAYS, SEED_START, SEED_VERSION, seededDatabase, seedLog } from './seed-logs.js';

const DATA = fileURLToPath(new URL('./.data', import.meta.url));
const SIZES = (process.env.BENCH_DELETION_SIZES ?? '1000000,10000000').split(',').map(Number);
const SUBJECT_RECORDS = Number(process.env.BENCH_DELETION_RECORDS ?? 10_000);
const RUNS = Number(process.env.BENCH_DELETION_RUNS ?? 3);

/**
 * Whose 10,000 messages are deleted. `person`: one end user (one user ID) in conversations of ten messages of their
 * own, which is what a Watson customer ID labels. `scattered`: every message from a different seeded user and in a
 * conversation shared with other people, so each row's user and conversation aggregates sit on pages of their own;
 * the harder case, and the only one measured before.
 */
export type SubjectShape = 'person' | 'scattered';
export const SHAPES = (process.env.BENCH_DELETION_SHAPES ?? 'person,scattered').split(',') as SubjectShape[];

interface Run { bareMs: number; verifiedMs: number; completedMs: number; clientMs: number; deleted: number }

/** Adds the subject's records in `shape`, spread over the whole seeded period, so they sit on pages among everyone else's. */
export async function addSubject(path: string, subject: string, seed: number, shape: SubjectShape): Promise<void> {
  const store = openSqliteStore(`sqlite:${path}`, { synchronous: 'NORMAL' });
  const rnd = seededRandom(seed);
  for (let i = 0; i < SUBJECT_RECORDS; i += 2000) {
    const writes: MessageWrite[] = [];
    for (let j = i; j < Math.min(SUBJECT_RECORDS, i + 2000); j++) {
      const log = seedLog(rnd, j, SUBJECT_RECORDS);
      const ts = SEED_START + Math.floor(rnd() * SEED_DAYS * 86_400_000);
      const person = shape === 'person' ? { userId: `user-${subject}`, conversationId: `${subject}-${Math.floor(j / 10)}` } : {};
      writes.push({ log: { ...log, ...person, customerIds: [subject], requestTs: ts, responseTs: ts + 40 } });
    }
    await store.ingest(writes);
  }
  await store.close();
}

/** The same rows removed by a bare DELETE, rolled back: what deleting costs without erasure, FTS cleanup or proof. */
function bareDelete(path: string, subject: string): number {
  const db = new Database(path);
  const t0 = performance.now();
  db.exec('BEGIN IMMEDIATE');
  db.prepare(`DELETE FROM logs WHERE seq IN (SELECT seq FROM log_subjects WHERE instance_id = 'bench' AND kind = 'customer_id' AND value = ?)`).run(subject);
  const ms = performance.now() - t0;
  db.exec('ROLLBACK');
  db.close();
  return ms;
}

async function deleteThroughServer(path: string, subject: string): Promise<Omit<Run, 'bareMs'>> {
  const dir = mkdtempSync(join(tmpdir(), 'lethe-bench-'));
  const lethe = await startLethe({ dir, env: { LETHE_DATABASE_URL: `sqlite:${path}`, LETHE_INSTANCE: 'bench', LETHE_RATE_LIMIT_PER_MINUTE: '0' }, keepOutput: false });
  try {
    const t0 = performance.now();
    const res = await call(lethe.url, 'DELETE', `/v2/user_data?version=2021-06-14&customer_id=${subject}`, { key: lethe.adminKey });
    if (res.status !== 202) throw new Error(`DELETE answered ${res.status}`);
    const location = res.headers.get('location')!;
    for (;;) {
      const job = (await call(lethe.url, 'GET', location, { key: lethe.adminKey })).body;
      if (job.status === 'failed') throw new Error(`deletion failed: ${job.error}`);
      if (job.status === 'completed') {
        const created = Date.parse(job.created);
        return {
          clientMs: performance.now() - t0, verifiedMs: Date.parse(job.verified) - created, completedMs: Date.parse(job.completed) - created,
          deleted: job.deleted.logs,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    await lethe.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs of one shape at one size: a fresh subject each time, deleted through a real server. */
async function measureShape(path: string, size: number, shape: SubjectShape): Promise<string> {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const subject = `dsr-bench-${Date.now()}-${i}`;
    await addSubject(path, subject, 1000 + i, shape);
    // The subject's messages are spread over months that ended long ago: their index is merged, as a server keeps it.
    compactSearchIndex(path);
    const bareMs = bareDelete(path, subject);
    runs.push({ bareMs, ...(await deleteThroughServer(path, subject)) });
    if (runs[i]!.deleted !== SUBJECT_RECORDS) throw new Error(`deleted ${runs[i]!.deleted} of ${SUBJECT_RECORDS}`);
  }
  const cell = (pick: (r: Run) => number) => `${median(runs.map(pick)).toFixed(0)} (${runs.map((r) => pick(r).toFixed(0)).join(', ')})`;
  return `### ${SUBJECT_RECORDS.toLocaleString('en')} records of one customer among ${size.toLocaleString('en')} logs, ${shape}

| measure | median ms (each run) |
|---|---:|
| baseline: bare \`DELETE\` of the same rows, no erasure or proof (rolled back) | ${cell((r) => r.bareMs)} |
| Lethe: request received → verified (nothing left in any subject table) | ${cell((r) => r.verifiedMs)} |
| Lethe: request received → completed (WAL checkpointed, subject erased from the job) | ${cell((r) => r.completedMs)} |
| client: \`DELETE /v2/user_data\` sent → completed job seen by polling every 5 ms | ${cell((r) => r.clientMs)} |
`;
}

/** The seeded database of `size` logs, built on first use. */
export function seededLogs(size: number): string {
  return seededDatabase(join(DATA, `logs-${size}-v${SEED_VERSION}.db`), size, (done) => {
    if (done % 1_000_000 === 0) process.stderr.write(`seeding ${size} rows: ${done}\n`);
  });
}

/** DELETE to verified completion for one subject with SUBJECT_RECORDS logs among each seeded size, in each shape. */
export async function deletionLatency(): Promise<string> {
  const sections: string[] = [];
  for (const size of SIZES) {
    const path = seededLogs(size);
    for (const shape of SHAPES) sections.push(await measureShape(path, size, shape));
  }
  return `## Deletion latency

- command: \`BENCH_SUITES=deletion npm run bench\` (sizes: BENCH_DELETION_SIZES, runs: BENCH_DELETION_RUNS, shapes: BENCH_DELETION_SHAPES)
- data: the seeded databases of the filter benchmark, plus ${SUBJECT_RECORDS.toLocaleString('en')} logs of one customer spread over the
  same ${SEED_DAYS} days, added before each run. Those days are months that ended long ago, so their search index is then
  merged into one segment per month, as the server's background compactor keeps it.
- shapes: \`person\` is one user in conversations of ten messages of their own; \`scattered\` has each message from a
  different seeded user, in conversations shared with others (the only shape measured before 2026-11-23).
- server: a real one (\`lethe serve\`, synchronous=FULL, secure_delete on) receives \`DELETE /v2/user_data\` and runs
  the job: chunked deletion with FTS5 cleanup, verification, WAL checkpoint.
- target (issue 5): under 1 s from request to verified.

${sections.join('\n')}`;
}
