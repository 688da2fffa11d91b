import { createWriteStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { LogExportFormat } from '../core/logs/log-export.js';
import type { MetricsRequest } from '../core/metrics/metrics.js';
import { withServices } from './admin-commands.js';
import { Progress } from './progress.js';

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

interface RangeOptions { from?: string; to?: string; assistantId?: string; deployment?: string; instance?: string }

function rangeOptions(c: Command): Command {
  return c.option('--from <date>', 'first UTC day (YYYY-MM-DD; default: 29 days before --to)')
    .option('--to <date>', 'last UTC day (default: today)')
    .option('--assistant-id <id>', 'only this assistant')
    .option('--deployment <name>', 'only this deployment')
    .option('--instance <id>', 'instance (default: LETHE_INSTANCE or "default")');
}

const request = (instanceId: string, o: RangeOptions): MetricsRequest => ({
  instanceId, from: o.from, to: o.to, assistantId: o.assistantId, deployment: o.deployment,
});

function metricsCommands(program: Command): void {
  const metrics = program.command('metrics').description('live metrics over the logs (see README "Metrics")');
  rangeOptions(metrics.command('overview', { isDefault: true }).description('messages, conversations, users, coverage, containment, per day'))
    .option('--coverage-threshold <n>', 'confidence from which a message counts as covered (default: LETHE_METRICS_COVERAGE_THRESHOLD)')
    .action((o: RangeOptions & { coverageThreshold?: string }) => withServices(async (s, instance) => {
      const threshold = o.coverageThreshold === undefined ? undefined : Number(o.coverageThreshold);
      print(await s.metrics.overview({ ...request(instance, o), coverageThreshold: threshold }, Date.now()));
    }, o.instance));
  rangeOptions(metrics.command('effectiveness').description('accuracy, per-intent precision and root causes from annotations'))
    .action((o: RangeOptions) => withServices(async (s, instance) => { print(await s.metrics.effectiveness(request(instance, o), Date.now())); }, o.instance));
}

/** `lethe logs export`: takes --filter, --workspace-id, --assistant-id and --instance from `lethe logs`. */
function exportCommand(program: Command): void {
  const logs = program.commands.find((c) => c.name() === 'logs');
  if (!logs) throw new Error('the logs command must be registered before logs export');
  logs.command('export').description('stream every log matching --filter to a CSV or JSONL file (progress on stderr)')
    .option('--format <format>', 'csv (the columns of IBM\'s export_logs.py and more) or jsonl', 'csv')
    .option('--out <file>', 'where to write (default: stdout)')
    .action((_o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<{ format: string; out?: string; filter?: string; workspaceId?: string; assistantId?: string; instance?: string }>();
      if (o.format !== 'csv' && o.format !== 'jsonl') throw new Error('--format must be csv or jsonl');
      return withServices(async (s, instance) => {
        const file = s.logs.export({
          instanceId: instance, surface: 'any', filter: o.filter, format: o.format as LogExportFormat,
          scope: { ...(o.workspaceId ? { workspaceId: o.workspaceId } : {}), ...(o.assistantId ? { assistantId: o.assistantId } : {}) },
        });
        const progress = new Progress(process.stderr, process.stderr.isTTY ? await file.count() : null, 'logs');
        let exported = 0;
        const chunks = async function* () {
          for await (const c of file.chunks()) {
            exported += c.logs;
            progress.add(c.logs);
            yield c.text;
          }
        };
        const out: Writable = o.out ? createWriteStream(o.out) : process.stdout;
        await pipeline(Readable.from(chunks()), out, { end: o.out !== undefined });
        progress.finish();
        process.stderr.write(`exported ${exported} logs${o.out ? ` to ${o.out}` : ''}\n`);
      }, o.instance);
    });
}

export function registerMetricsCommands(program: Command): void {
  metricsCommands(program);
  exportCommand(program);
}
