import { existsSync, readFileSync } from 'node:fs';
import { call } from './http.js';

/** Probes until `done` holds or `ms` pass, and returns the last value probed (the caller asserts on it). */
export async function waitFor<T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (done(v) || Date.now() > until) return v;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A deletion job (by its id or its `Location` path) once it completed or failed. */
export function finishedJob(url: string, key: string, job: string): Promise<any> {
  const path = job.startsWith('/') ? job : `/api/v1/jobs/${job}`;
  return waitFor(async () => (await call(url, 'GET', path, { key })).body, (j) => j.status === 'completed' || j.status === 'failed');
}

/** Every byte a SQLite database keeps on disk: the main file plus its WAL. */
export function databaseBytes(dbPath: string): Buffer {
  return Buffer.concat([dbPath, `${dbPath}-wal`].filter(existsSync).map((p) => readFileSync(p)));
}
