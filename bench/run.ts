import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { fileURLToPath } from 'node:url';
import { deletionLatency } from './deletion-latency.js';
import { deletionPhases } from './deletion-phases.js';
import { filterLatency } from './filter-latency.js';
import { eventThroughput } from './event-throughput.js';
import { messageThroughput } from './message-throughput.js';
import { engineComparison } from './engines.js';
import { metricsBench } from './metrics.js';
import { reliabilityBench } from './reliability.js';

/**
 * `npm run bench` runs every suite (or those in BENCH_SUITES, comma-separated) and rewrites their sections of
 * BENCHMARKS.md, leaving the sections of suites not run as they were.
 */
const SUITES: Record<string, () => Promise<string>> = {
  message: messageThroughput, events: eventThroughput, filter: filterLatency, deletion: deletionLatency, 'deletion-phases': deletionPhases, engines: engineComparison,
  metrics: metricsBench, reliability: reliabilityBench,
};
const FILE = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

function machine(): string {
  return `${type()} ${release()}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}`;
}

/** The commit measured, so a section can be matched to the code it describes ("+changes" when the tree was dirty). */
function revision(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    // BENCHMARKS.md itself does not count: the suites before this one in the same run have just rewritten it.
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':!BENCHMARKS.md'], { encoding: 'utf8' }).trim();
    return dirty ? `${head}+changes` : head;
  } catch {
    return 'unknown commit';
  }
}

function replaceSection(doc: string, name: string, body: string): string {
  const start = `<!-- suite:${name} -->`;
  const end = `<!-- /suite:${name} -->`;
  const block = `${start}\n${body.trim()}\n\n_Measured ${new Date().toISOString()} at ${revision()} on ${machine()}._\n${end}`;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  return from >= 0 && to > from ? doc.slice(0, from) + block + doc.slice(to + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
}

async function main(): Promise<void> {
  const names = (process.env.BENCH_SUITES ?? Object.keys(SUITES).join(',')).split(',');
  let doc = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmarks\n\nWritten by `npm run bench` (bench/run.ts); each section is rewritten by the suite that measured it.\n';
  for (const name of names) {
    const suite = SUITES[name];
    if (!suite) throw new Error(`unknown suite ${name}; known: ${Object.keys(SUITES).join(', ')}`);
    process.stderr.write(`bench: ${name}\n`);
    const body = await suite();
    process.stdout.write(`${body}\n`);
    doc = replaceSection(doc, name, body);
    writeFileSync(FILE, doc);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
