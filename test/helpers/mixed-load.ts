import { readFileSync } from 'node:fs';
import { createTarget, sendWrite, WRITE_KINDS, type TrafficTarget } from './traffic.js';

const V = 'version=2021-06-14';

export type OpKind = 'ingest' | 'query' | 'deletion' | 'export';

export interface KindStats { count: number; latencies: number[]; statuses: Record<string, number> }

export interface MixedLoadResult {
  seconds: number;
  kinds: Record<OpKind, KindStats>;
  /** Server resident memory (MiB): after warm-up, at every tenth of the run, and at the end. */
  rssMiB: number[];
}

/** Resident memory of a process in MiB, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The mix: mostly ingestion, then filter queries, some exports and a few deletions. */
const kindOf = (roll: number): OpKind => (roll < 0.6 ? 'ingest' : roll < 0.9 ? 'query' : roll < 0.97 ? 'export' : 'deletion');

function operation(url: string, key: string, target: TrafficTarget, seq: number, kind: OpKind): Promise<Response> {
  const auth = { authorization: `Bearer ${key}` };
  if (kind === 'ingest') return sendWrite(url, key, target, WRITE_KINDS[seq % 3]!, seq);
  if (kind === 'query') {
    const paths = [
      `/v1/workspaces/${target.workspaceId}/logs?${V}&page_limit=20&filter=${encodeURIComponent(`customer_id::load-customer-${seq % 500}`)}`,
      `/v1/logs?${V}&page_limit=20&filter=${encodeURIComponent(`language::en,workspace_id::${target.workspaceId},request.input.text:balance`)}`,
      `/v2/assistants/${target.assistantId}/logs?${V}&page_limit=20&filter=${encodeURIComponent('response.output.intents:intent::balance')}`,
      `/rest/ua/v15/users/load-visitor-${seq % 16}/overview`,
    ];
    return fetch(url + paths[seq % paths.length], { headers: auth });
  }
  if (kind === 'export') {
    // Log export (streamed JSONL of one customer's logs) or a Coveo export of the last minute.
    if (seq % 2) return fetch(`${url}/api/v1/logs/export?format=jsonl&filter=${encodeURIComponent(`customer_id::load-customer-${seq % 500}`)}`, { headers: auth });
    const from = new Date(Date.now() - 60_000).toISOString();
    return fetch(`${url}/rest/ua/v15/exports/create`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ from, to: new Date().toISOString() }) });
  }
  return fetch(`${url}/v1/user_data?${V}&customer_id=load-customer-${seq}`, { method: 'DELETE', headers: auth });
}

/**
 * Runs the mix from `concurrency` clients for `seconds` (after `warmupSeconds` not counted) and reports latencies,
 * statuses and the server's memory. Every response body is read, so streamed exports count in full.
 */
export async function runMixedLoad(opts: { url: string; key: string; pid: number; seconds: number; warmupSeconds: number; concurrency: number; random: () => number }): Promise<MixedLoadResult> {
  const target = await createTarget(opts.url, opts.key);
  const stats = (): KindStats => ({ count: 0, latencies: [], statuses: {} });
  const kinds: Record<OpKind, KindStats> = { ingest: stats(), query: stats(), deletion: stats(), export: stats() };
  let seq = 1_000_000;
  const run = async (until: number, record: boolean) => {
    await Promise.all(Array.from({ length: opts.concurrency }, async () => {
      while (Date.now() < until) {
        const started = performance.now();
        const kind = kindOf(opts.random());
        let status: string;
        try {
          const res = await operation(opts.url, opts.key, target, seq++, kind);
          await res.arrayBuffer();
          status = String(res.status);
        } catch (err) {
          status = `error ${(err as Error).message}`;
        }
        if (!record) continue;
        const s = kinds[kind];
        s.count++;
        s.latencies.push(performance.now() - started);
        s.statuses[status] = (s.statuses[status] ?? 0) + 1;
      }
    }));
  };
  await run(Date.now() + opts.warmupSeconds * 1000, false);
  const samples = [rssMiB(opts.pid)];
  const sampler = setInterval(() => samples.push(rssMiB(opts.pid)), (opts.seconds * 1000) / 10);
  await run(Date.now() + opts.seconds * 1000, true);
  clearInterval(sampler);
  samples.push(rssMiB(opts.pid));
  for (const s of Object.values(kinds)) s.latencies.sort((a, b) => a - b);
  return { seconds: opts.seconds, kinds, rssMiB: samples };
}
