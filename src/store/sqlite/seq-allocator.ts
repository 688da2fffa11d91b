import type Database from 'better-sqlite3';
import { SEQ_PER_MS, seqFloor } from '../../model/log-sequence.js';

const REMEMBERED_MS = 4096;

/**
 * Hands out log keys (see log-sequence.ts) on the writing connection. The next free key of each recent millisecond
 * is kept in memory; for any other millisecond it is read from the table, which also makes a restarted writer
 * continue after the keys committed before it stopped.
 */
export class SeqAllocator {
  private readonly nextFree = new Map<number, number>();
  private readonly highestIn: Database.Statement<[number, number], { seq: number | null }>;

  constructor(db: Database.Database, table: 'logs' | 'events') {
    this.highestIn = db.prepare(`SELECT max(seq) AS seq FROM ${table} WHERE seq >= ? AND seq < ?`);
  }

  allocate(receivedMs: number): number {
    for (let ms = receivedMs; ; ms++) {
      const seq = this.nextFree.get(ms) ?? this.firstFree(ms);
      // Over SEQ_PER_MS messages in one millisecond: the rest are recorded as received a millisecond later.
      if (seq >= seqFloor(ms + 1)) continue;
      this.remember(ms, seq + 1);
      return seq;
    }
  }

  private firstFree(ms: number): number {
    const highest = this.highestIn.get(seqFloor(ms), seqFloor(ms) + SEQ_PER_MS)?.seq;
    return highest === null || highest === undefined ? seqFloor(ms) : highest + 1;
  }

  private remember(ms: number, next: number): void {
    this.nextFree.set(ms, next);
    if (this.nextFree.size > REMEMBERED_MS) this.nextFree.delete(this.nextFree.keys().next().value as number);
  }
}
