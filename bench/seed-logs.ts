import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { newId } from '../src/model/ids.js';
import type { LogRecord } from '../src/model/logs.js';
import type { MessageWrite } from '../src/model/ingest.js';
import { createAppender, encodeWrites } from '../src/store/sqlite/ingest-append.js';
import { migrate } from '../src/store/sqlite/migrations.js';
import { openSqlite } from '../src/store/sqlite/open-database.js';
import { compactTextIndexStep } from '../src/store/sqlite/text-index.js';
import { seededRandom as random } from '../test/helpers/seeded-random.js';

/**
 * Synthetic conversation logs for the filter and deletion benchmarks: a deterministic stream of realistic rows
 * (Zipf-distributed vocabulary and customers, 90 days of timestamps, v1 request/response JSON of a few hundred bytes).
 * A seeded database is cached under bench/.data and reused while SEED_VERSION is unchanged. Rows go through the
 * ingest appender, so the database holds the metric aggregates too (version 2).
 */
export const SEED_VERSION = 2;
export const SEED_START = Date.parse('2026-01-01T00:00:00Z');
export const SEED_DAYS = 90;
export const CUSTOMERS = 100_000;
export const INTENTS = Array.from({ length: 40 }, (_, i) => `intent_${i}`);

const WORDS = ('account balance transfer money savings checking card credit debit loan mortgage rate interest payment bill ' +
  'refund charge fee statement deposit withdraw cash atm branch open close help please thanks hello hi order status ' +
  'delivery shipping address password login reset phone email change update cancel subscription plan upgrade travel ' +
  'insurance claim fraud report lost stolen pin limit overdraft loyalty points reward gift transaction history').split(' ');
const FILLER = 'i want to the my a is how can you what do for in me of need about with on it this'.split(' ');

/** Index drawn with probability ∝ 1/(i+1): a few words and customers are common, most are rare. */
function zipf(rnd: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(Math.exp(rnd() * Math.log(n + 1)) - 1));
}

export function customerId(i: number): string {
  return `cust-${String(i).padStart(6, '0')}`;
}

export function seedLog(rnd: () => number, i: number, total: number, instanceId = 'bench'): LogRecord {
  const words = Array.from({ length: 4 + Math.floor(rnd() * 8) }, () =>
    rnd() < 0.5 ? FILLER[Math.floor(rnd() * FILLER.length)]! : WORDS[zipf(rnd, WORDS.length)]!);
  const text = words.join(' ');
  const ts = SEED_START + Math.floor((i / total) * SEED_DAYS * 86_400_000);
  const intent = INTENTS[zipf(rnd, INTENTS.length)]!;
  const confidence = Math.round((0.3 + rnd() * 0.7) * 1000) / 1000;
  const conversation = `conv-${Math.floor(i / 5)}`;
  return {
    logId: newId(), instanceId, api: 'v1', assistantId: null, environmentId: null, workspaceId: `ws-${i % 4}`, sessionId: null,
    conversationId: conversation, userId: `user-${zipf(rnd, CUSTOMERS)}`, customerIds: [customerId(zipf(rnd, CUSTOMERS))],
    deployment: 'web', language: 'en', snapshot: null, topIntent: intent, topConfidence: confidence, entitiesCount: 0,
    inputText: text, learningOptOut: false, requestTs: ts, responseTs: ts + 40,
    request: { input: { text }, context: { conversation_id: conversation, metadata: { deployment: 'web' } } },
    response: {
      input: { text }, intents: [{ intent, confidence }], entities: [],
      output: { text: [`Here is what I found about ${words[0]}.`], generic: [{ response_type: 'text', text: `Here is what I found about ${words[0]}.` }], nodes_visited: [intent], log_messages: [] },
      context: { conversation_id: conversation, system: { dialog_turn_counter: 1 } },
    },
  };
}

/**
 * Returns the path of a database holding `total` seeded logs, building it (minutes for 10M rows) if needed, migrated
 * to the current schema and with its search index compacted as a server keeps it (compactSearchIndex).
 */
export function seededDatabase(path: string, total: number, progress: (done: number) => void): string {
  if (!existsSync(path)) buildSeededDatabase(path, total, progress);
  compactSearchIndex(path);
  return path;
}

/**
 * Merges the full-text index of every month that has ended into one segment, as a server's IndexCompactor does in
 * the background within a minute of a month ending (the seeded months all ended long ago). Opening an older seeded
 * database also migrates it here (minutes for 10M rows, once).
 */
export function compactSearchIndex(path: string): void {
  const db = openSqlite(`sqlite:${path}`, { synchronous: 'NORMAL' });
  migrate(db);
  while (compactTextIndexStep(db, Date.now(), 20_000)) { /* next step */ }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

function buildSeededDatabase(path: string, total: number, progress: (done: number) => void): void {
  mkdirSync(dirname(path), { recursive: true });
  const building = `${path}.building`;
  for (const f of [building, `${building}-wal`, `${building}-shm`]) rmSync(f, { force: true });
  const db = openSqlite(`sqlite:${building}`, { synchronous: 'NORMAL' });
  // A throwaway file until it is renamed into place: no need to pay for durability or zeroing while loading.
  db.pragma('synchronous = OFF');
  db.pragma('secure_delete = OFF');
  migrate(db);
  const append = createAppender(db);
  const rnd = random(SEED_VERSION);
  const batch = 20_000;
  for (let i = 0; i < total; i += batch) {
    const writes: MessageWrite[] = [];
    for (let j = i; j < Math.min(total, i + batch); j++) writes.push({ log: seedLog(rnd, j, total) });
    append(encodeWrites(writes));
    progress(Math.min(total, i + batch));
  }
  db.pragma('optimize');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  renameSync(building, path);
}
