import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

/** Shared by the throughput suites: the load generator, its settings, the echo baselines and the report rows. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

export interface Result { label: string; rps: number; p50: number; p99: number; non2xx: number; errors: number; total2xx: number }

/** The run with the median throughput: the machine is shared, so single runs swing; alternating rounds share the noise. */
export function median(runs: Result[]): Result {
  return [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)]!;
}

/** POSTs the given bodies round-robin for `seconds`. */
export async function load(label: string, url: string, headers: Record<string, string>, bodies: string[], seconds = DURATION): Promise<Result> {
  const r = await autocannon({
    url, connections: CONNECTIONS, duration: seconds, method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    requests: bodies.map((body) => ({ body })),
  });
  return { label, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, total2xx: r['2xx'] };
}

export function startEcho(kind: 'node' | 'fastify'): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/echo-server.ts'), kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    child.stdout!.on('data', (c: Buffer) => {
      const m = /listening (\d+)/.exec(c.toString());
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}/`, child });
    });
  });
}

export const row = (r: Result, unit = 1) =>
  `| ${r.label} | ${Math.round(r.rps).toLocaleString('en')} | ${Math.round(r.rps * unit).toLocaleString('en')} | ${r.p50} | ${r.p99} | ${r.non2xx + r.errors} |`;

export const method = (what: string) => `- load generator: autocannon in the bench process, ${CONNECTIONS} connections, ${DURATION} s per run after a 3 s warm-up, on the same 127.0.0.1 host (it competes with the servers for the cores)
- method: ${ROUNDS} alternating rounds of each ${what}; the table shows each one's median round`;
