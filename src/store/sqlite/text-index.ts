import type Database from 'better-sqlite3';
import { requestTsOf, seqFloor } from '../../model/log-sequence.js';

/**
 * The full-text index of log text: one contentless FTS5 table per calendar month (UTC) of request time, listed in
 * `log_text_partitions` (migration 9).
 *
 * Why months: with secure-delete, taking one message out of an FTS5 index costs, for each of its words, a look-up in
 * every segment of the index, and a large index that is still growing has a dozen segments or more (measured: 10,000
 * messages among 1M cost 1.3 s from an index of 11 segments, 0.47 s from the same index merged into one). A month
 * that has ended receives (almost) no more messages, so it is merged into one segment once (`compactTextIndexStep`)
 * and stays cheap to delete from; the month being written is a fraction of the whole.
 */
export interface TextPartition {
  name: string;
  /** The keys (log seq) of the month: loSeq ≤ seq < hiSeq. */
  loSeq: number;
  hiSeq: number;
}

const TOKENIZER = 'porter unicode61 remove_diacritics 2';

export function partitionOf(seq: number): TextPartition {
  const at = new Date(requestTsOf(seq));
  const [year, month] = [at.getUTCFullYear(), at.getUTCMonth()];
  return {
    name: `log_text_${year}${String(month + 1).padStart(2, '0')}`,
    loSeq: seqFloor(Date.UTC(year, month, 1)), hiSeq: seqFloor(Date.UTC(year, month + 1, 1)),
  };
}

/** Every month's table, in key order (the order their logs were received in). */
export function listTextPartitions(db: Database.Database): TextPartition[] {
  const list = db.prepare('SELECT name, lo_seq AS loSeq, hi_seq AS hiSeq FROM log_text_partitions ORDER BY lo_seq').all() as TextPartition[];
  // The names are spliced into SQL as identifiers: only the form partitionOf gives them is accepted.
  for (const p of list) if (!/^log_text_\d{6}$/.test(p.name)) throw new Error(`unexpected full-text table ${p.name}`);
  return list;
}

/**
 * Creates the month's table when it does not exist yet, inside the caller's transaction. Contentless: it holds the
 * index only, never a second copy of the text. Entries are removed with the 'delete' command and the words they were
 * indexed with (not contentless_delete, whose tombstones leave the terms in the index), and secure-delete makes that
 * rewrite the index pages so no term of a deleted message survives.
 */
export function createTextPartition(db: Database.Database, p: TextPartition): void {
  const exists = db.prepare('SELECT 1 FROM log_text_partitions WHERE name = ?').get(p.name);
  if (exists) return;
  db.exec(`CREATE VIRTUAL TABLE ${p.name} USING fts5(input_text, output_text, content = '', tokenize = '${TOKENIZER}');
    INSERT INTO ${p.name} (${p.name}, rank) VALUES ('secure-delete', 1);`);
  db.prepare('INSERT INTO log_text_partitions (name, lo_seq, hi_seq, compacted) VALUES (?, ?, ?, 0)').run(p.name, p.loSeq, p.hiSeq);
}

/** Adds and removes the entries of logs, each in its month's table; one per connection. */
export class TextIndex {
  private readonly prepared = new Map<string, { insert: Database.Statement; remove: Database.Statement }>();
  private readonly reopen: Database.Statement;
  private readonly exists: Database.Statement;
  private last: TextPartition | undefined;

  constructor(private readonly db: Database.Database, private readonly now: () => number = Date.now) {
    this.reopen = db.prepare('UPDATE log_text_partitions SET compacted = 0 WHERE name = ? AND compacted = 1');
    this.exists = db.prepare('SELECT 1 FROM log_text_partitions WHERE name = ?');
  }

  /** Within the caller's transaction. */
  add(seq: number, inputWords: string, outputWords: string): void {
    const p = this.partitionOf(seq);
    // Looked up every time rather than remembered: a month created in a transaction that then rolled back is gone.
    if (!this.exists.get(p.name)) createTextPartition(this.db, p);
    // A message back-dated into a month already merged adds a segment there: the compactor merges it again.
    if (p.hiSeq <= seqFloor(this.now())) this.reopen.run(p.name);
    this.statements(p.name).insert.run(seq, inputWords, outputWords);
  }

  /** `inputWords` and `outputWords` exactly as they were added (fts-words.ts makes that deterministic). */
  remove(seq: number, inputWords: string, outputWords: string): void {
    this.statements(this.partitionOf(seq).name).remove.run(seq, inputWords, outputWords);
  }

  /** Consecutive keys nearly always fall in the same month as the previous one. */
  private partitionOf(seq: number): TextPartition {
    if (!this.last || seq < this.last.loSeq || seq >= this.last.hiSeq) this.last = partitionOf(seq);
    return this.last;
  }

  private statements(name: string): { insert: Database.Statement; remove: Database.Statement } {
    let s = this.prepared.get(name);
    if (!s) {
      s = {
        insert: this.db.prepare(`INSERT INTO ${name} (rowid, input_text, output_text) VALUES (?, ?, ?)`),
        remove: this.db.prepare(`INSERT INTO ${name} (${name}, rowid, input_text, output_text) VALUES ('delete', ?, ?, ?)`),
      };
      this.prepared.set(name, s);
    }
    return s;
  }
}

/**
 * One bounded step of merging an ended month into a single segment (about `pages` index pages written, a short
 * write transaction), so deletions from it stay cheap. Returns false once every ended month is one segment.
 */
export function compactTextIndexStep(db: Database.Database, now: number, pages = 1000): boolean {
  const pending = db.prepare('SELECT name FROM log_text_partitions WHERE compacted = 0 AND hi_seq <= ? ORDER BY lo_seq LIMIT 1')
    .get(seqFloor(now)) as { name: string } | undefined;
  if (!pending) return false;
  const { name } = pending;
  return db.transaction(() => {
    const before = totalChanges(db);
    // A negative page count merges across levels, down to one segment (FTS5's incremental 'optimize').
    db.prepare(`INSERT INTO ${name} (${name}, rank) VALUES ('merge', ?)`).run(-pages);
    // FTS5 reports work done by two or more changes; fewer means the month is one segment.
    const worked = totalChanges(db) - before >= 2;
    if (!worked) db.prepare('UPDATE log_text_partitions SET compacted = 1 WHERE name = ?').run(name);
    return true;
  }).immediate();
}

function totalChanges(db: Database.Database): number {
  return (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
}
