import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { isPiiKind, PII_KINDS, type PiiKind } from '../model/redaction.js';
import { scanWorkspace } from '../core/privacy/training-data-scan.js';
import { redactionJson } from '../views/api/redaction.js';
import { instanceOption, print, withServices } from './admin-commands.js';
import { operatorActor } from './operator-actor.js';

function kinds(list: string | undefined, option: string): PiiKind[] {
  if (list === undefined) return [];
  const names = list.split(',').map((k) => k.trim().toLowerCase()).filter(Boolean);
  const unknown = names.filter((k) => !isPiiKind(k));
  if (unknown.length) throw new Error(`${option}: unknown detector ${unknown.join(', ')} (known: ${PII_KINDS.join(', ')})`);
  return names as PiiKind[];
}

function redactionCommands(program: Command): void {
  const redaction = program.command('redaction').description('which PII detectors redact ingested messages and events');
  redaction.command('show').option(...instanceOption)
    .action((o: { instance?: string }) => withServices(async (s, instance) => { print(redactionJson(await s.redaction.get(instance))); }, o.instance));
  redaction.command('set').description('switch detectors on or off; the others keep their state')
    .option('--enable <list>', `comma-separated: ${PII_KINDS.join(', ')}`)
    .option('--disable <list>', 'comma-separated detectors to switch off')
    .option(...instanceOption)
    .action((o: { enable?: string; disable?: string; instance?: string }) => withServices(async (s, instance) => {
      const on = kinds(o.enable, '--enable');
      const off = kinds(o.disable, '--disable');
      if (!on.length && !off.length) throw new Error('give --enable and/or --disable');
      const both = on.filter((k) => off.includes(k));
      if (both.length) throw new Error(`both enabled and disabled: ${both.join(', ')}`);
      const current = (await s.redaction.get(instance)).detectors;
      const next = PII_KINDS.filter((k) => on.includes(k) || (current.includes(k) && !off.includes(k)));
      print(redactionJson(await s.redaction.set(instance, next, operatorActor())));
    }, o.instance));
}

function scanCommand(program: Command): void {
  const workspaces = program.commands.find((c) => c.name() === 'workspaces') ?? program.command('workspaces');
  workspaces.command('scan <file>').description('report personal data in a workspace JSON file (offline; run it before uploading)')
    .option('--fail-on-pii', 'exit with status 3 when anything is found')
    .action(async (file: string, o: { failOnPii?: boolean }) => {
      const workspace: unknown = JSON.parse(await readFile(file, 'utf8'));
      if (typeof workspace !== 'object' || workspace === null || Array.isArray(workspace)) throw new Error(`${file} does not hold a workspace object`);
      const report = scanWorkspace(workspace as Record<string, unknown>);
      print(report);
      if (o.failOnPii && report.total > 0) process.exitCode = 3;
    });
}

function trainingDataCommand(program: Command): void {
  program.command('training-data').description('utterances for improving a skill')
    .command('export').description('users\' utterances with their top intent; learning opt-outs are left out')
    .option('--workspace-id <id>', 'only this workspace')
    .option('--assistant-id <id>', 'only this assistant')
    .option('--from <date>', 'ISO 8601 date or date-time (inclusive)')
    .option('--to <date>', 'ISO 8601 date or date-time (exclusive)')
    .option('--format <format>', 'jsonl or csv', 'jsonl')
    .option('--output <file>', 'write here instead of to stdout')
    .option(...instanceOption)
    .action((o: { workspaceId?: string; assistantId?: string; from?: string; to?: string; format: string; output?: string; instance?: string }) =>
      withServices(async (s, instance) => {
        if (o.format !== 'jsonl' && o.format !== 'csv') throw new Error('--format must be jsonl or csv');
        const lines = Readable.from(await s.trainingData.export(instance, o, o.format));
        await pipeline(lines, o.output ? createWriteStream(o.output) : process.stdout);
      }, o.instance));
}

export function registerPrivacyCommands(program: Command): void {
  redactionCommands(program);
  scanCommand(program);
  trainingDataCommand(program);
}
