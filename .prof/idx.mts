import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { migrate } from '../src/store/sqlite/migrations.js';
import { newId } from '../src/core/ids.js';
import { randomUUID } from 'node:crypto';
const req = JSON.stringify({ input: { text: 'what is my balance' } });
const resp = JSON.stringify({ input: { text: 'what is my balance' }, intents: [{ intent: 'check_balance', confidence: 0.93 }], entities: [], alternate_intents: false, context: { conversation_id: randomUUID(), system: { dialog_stack: [{ dialog_node: 'root' }], dialog_turn_counter: 1, dialog_request_counter: 1, branch_exited: true, branch_exited_reason: 'completed', initialized: true } }, output: { generic: [{ response_type: 'text', text: 'Your balance is $42.' }], text: ['Your balance is $42.'], nodes_visited: ['balance'], log_messages: [] }, user_id: randomUUID() });
function run(label: string, mutate: (db: Database.Database) => void, id: () => string, sync = 'FULL', path = '/tmp/prof/i.db') {
  for (const f of ['/tmp/prof/i.db', '/tmp/prof/i.db-wal', '/tmp/prof/i.db-shm']) rmSync(f, { force: true });
  const db = new Database(path); db.pragma('journal_mode=WAL'); db.pragma(`synchronous=${sync}`); db.pragma('cache_size=-65536'); db.pragma('secure_delete=ON');
  migrate(db); mutate(db);
  const ins = db.prepare(`INSERT INTO logs (log_id, instance_id, api, workspace_id, conversation_id, customer_id, customer_ids, language, top_intent, top_confidence, entities_count, input_text, learning_opt_out, request_ts, response_ts, request, response) VALUES (?, 'default', 'v1', 'w', 'c', 'c1', '["c1"]', 'en', 'x', 0.9, 0, 'what is my balance', 0, ?, ?, ?, ?)`);
  const sub = db.prepare(`INSERT OR IGNORE INTO log_subjects (instance_id, kind, value, seq) VALUES ('default', 'customer_id', ?, ?)`);
  const small = label.includes('small');
  const tx = db.transaction((n: number) => { for (let i = 0; i < n; i++) { const now = Date.now(); const seq = ins.run(id(), now, now, small ? '{}' : req, small ? '{}' : resp).lastInsertRowid; sub.run('cust' + (i % 1000), seq); } });
  const N = 100000, B = 50; const t0 = performance.now();
  for (let i = 0; i < N / B; i++) tx(B);
  console.log(label.padEnd(40), ((performance.now() - t0) * 1000 / N).toFixed(1), 'us/row');
  db.close();
}
run('current schema, v7 ids', () => {}, newId);
run('in memory', () => {}, newId, 'OFF', ':memory:');
run('OFF sync, file', () => {}, newId, 'OFF');
run('small rows (no json)', () => {}, newId);
