import { Worker } from 'node:worker_threads';

/** Starts the worker thread whose module sits beside this one as `name`.js (or .ts, when running from sources). */
export function startWorker(name: string, workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, import.meta.url), { workerData });
  // Running from TypeScript sources (tests, tsx): loader hooks do not reach worker threads, so load tsx there too.
  const entry = JSON.stringify(new URL(`./${name}.ts`, import.meta.url).href);
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}); })`, { eval: true, workerData });
}
