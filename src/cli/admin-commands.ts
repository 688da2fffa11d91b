import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { readConfig } from '../config.js';
import { parsePrivileges } from '../core/auth/api-keys.js';
import { createServices, type Services } from '../core/services.js';
import { setting } from '../core/validation.js';
import { WorkspaceBodySchema } from '../core/workspaces/workspace-schema.js';
import { jobJson } from '../views/api/jobs.js';
import { assistantJson } from '../views/api/assistants.js';
import { keyJson } from '../views/api/keys.js';
import { watsonLogJson } from '../views/watson/logs.js';
import { createLogger } from '../logger.js';
import { openStore } from '../store/open-store.js';
import { PRIVILEGES } from '../model/privileges.js';
import { Value } from 'typebox/value';
import { operatorActor } from './operator-actor.js';

/** Operator commands work on the database named by LETHE_DATABASE_URL, whether or not a server is running. */
export async function withServices<T>(fn: (s: Services, instance: string) => Promise<T>, instance?: string): Promise<T> {
  const config = readConfig();
  const store = await openStore(config);
  try {
    const services = await createServices(store, config, createLogger('warn'));
    return await fn(services, instance === undefined ? config.instance : setting.instanceId(instance, '--instance'));
  } finally {
    await store.close();
  }
}

export const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
export const instanceOption = ['--instance <id>', 'instance (default: LETHE_INSTANCE or "default")'] as const;

function keyCommands(program: Command): void {
  const keys = program.command('keys').description('manage API keys');
  keys.command('create').description('create a key and print its secret once')
    .requiredOption('--name <name>', 'what the key is for')
    .requiredOption('--privileges <list>', `comma-separated, from: ${PRIVILEGES.join(', ')}`)
    .option(...instanceOption)
    .action((o: { name: string; privileges: string; instance?: string }) => withServices(async (s, instance) => {
      const { key, secret } = await s.keys.create(instance, o.name, parsePrivileges(o.privileges.split(',').map((p) => p.trim())), operatorActor());
      print({ ...keyJson(key), secret });
    }, o.instance));
  keys.command('list').description('list keys (never their secrets)').option('--all-instances', 'keys of every instance')
    .option(...instanceOption)
    .action((o: { instance?: string; allInstances?: boolean }) => withServices(async (s, instance) => {
      print((await s.keys.list(o.allInstances ? null : instance)).map(keyJson));
    }, o.instance));
  keys.command('revoke <keyId>').description('revoke a key at once')
    .action((keyId: string) => withServices(async (s) => {
      await s.keys.revoke(keyId, null, operatorActor());
      print({ revoked: keyId });
    }));
}

export async function waitForJob(s: Services, jobId: string): Promise<ReturnType<typeof jobJson>> {
  // Another process (the server) may have claimed the job; this one helps or waits, never runs it twice at once.
  s.runner.start();
  try {
    for (;;) {
      await s.runner.idle();
      const job = await s.deletions.get(jobId, null);
      if (job.status === 'completed' || job.status === 'failed') return jobJson(job);
      await new Promise((resolve) => setTimeout(resolve, 200));
      s.runner.wake();
    }
  } finally {
    await s.runner.stop();
  }
}

function deletionCommands(program: Command): void {
  program.command('delete-user').description('delete every log labelled with a customer ID, received before now')
    .requiredOption('--customer-id <id>', 'the customer ID (as sent in X-Watson-Metadata)')
    .option('--no-wait', 'queue the job and return at once')
    .option(...instanceOption)
    .action((o: { customerId: string; wait: boolean; instance?: string }) => withServices(async (s, instance) => {
      const job = await s.deletions.request(instance, { kind: 'customer_id', value: o.customerId }, operatorActor());
      print(o.wait ? await waitForJob(s, job.jobId) : jobJson(job));
    }, o.instance));
  program.command('jobs [jobId]').description('list deletion jobs, or show one')
    .option('--all-instances', 'jobs of every instance')
    .option(...instanceOption)
    .action((jobId: string | undefined, o: { instance?: string; allInstances?: boolean }) => withServices(async (s, instance) => {
      const scope = o.allInstances ? null : instance;
      print(jobId ? jobJson(await s.deletions.get(jobId, scope)) : (await s.deletions.list(scope)).map(jobJson));
    }, o.instance));
}

function catalogCommands(program: Command): void {
  const workspaces = program.command('workspaces').description('dialog skills (Watson v1 workspaces)');
  workspaces.command('import <file>').description('create a workspace from a Watson workspace JSON export')
    .option(...instanceOption)
    .action((file: string, o: { instance?: string }) => withServices(async (s, instance) => {
      const body: unknown = JSON.parse(await readFile(file, 'utf8'));
      if (!Value.Check(WorkspaceBodySchema, body)) {
        const first = [...Value.Errors(WorkspaceBodySchema, body)][0];
        throw new Error(`${file} is not a valid workspace: ${first ? `${first.instancePath} ${first.message}` : 'invalid'}`);
      }
      const ws = await s.workspaces.create(instance, body, operatorActor());
      print({ workspace_id: ws.workspaceId, name: ws.name, language: ws.language });
    }, o.instance));

  const assistants = program.command('assistants').description('v2 assistants and the workspace each answers with');
  assistants.command('create').description('create an assistant bound to a workspace')
    .requiredOption('--workspace-id <id>', 'the dialog skill that answers')
    .option('--name <name>', 'display name').option(...instanceOption)
    .action((o: { workspaceId: string; name?: string; instance?: string }) => withServices(async (s, instance) => {
      print(assistantJson(await s.assistants.create(instance, { name: o.name, workspaceId: o.workspaceId }, operatorActor())));
    }, o.instance));
  assistants.command('bind <assistantId>').description('bind an existing assistant to a workspace')
    .requiredOption('--workspace-id <id>', 'the dialog skill that answers').option(...instanceOption)
    .action((assistantId: string, o: { workspaceId: string; instance?: string }) => withServices(async (s, instance) => {
      print(assistantJson(await s.assistants.update(instance, assistantId, { workspaceId: o.workspaceId }, operatorActor())));
    }, o.instance));
  assistants.command('list').option(...instanceOption)
    .action((o: { instance?: string }) => withServices(async (s, instance) => {
      const page = await s.assistants.list(instance, { sort: 'name', descending: false, offset: 0, limit: 1000 });
      print(page.items.map(assistantJson));
    }, o.instance));
}

function logCommands(program: Command): void {
  program.command('logs').description('list logs, filtered with the Watson filter language (one page; pass --cursor for the next)')
    .option('--filter <filter>', 'e.g. "customer_id::abc,request.input.text:refund"')
    .option('--workspace-id <id>', 'only this workspace (skill)')
    .option('--assistant-id <id>', 'only this assistant')
    .option('--sort <sort>', 'request_timestamp (default) or -request_timestamp')
    .option('--limit <n>', 'page size, 1-1000', '100')
    .option('--cursor <cursor>', 'next_cursor of the previous page')
    .option(...instanceOption)
    .action((o: { filter?: string; workspaceId?: string; assistantId?: string; sort?: string; limit: string; cursor?: string; instance?: string }) =>
      withServices(async (s, instance) => {
        const { page, nextCursor } = await s.logs.query({
          instanceId: instance, surface: 'any', filter: o.filter, sort: o.sort, pageLimit: Number(o.limit), cursor: o.cursor,
          scope: { ...(o.workspaceId ? { workspaceId: o.workspaceId } : {}), ...(o.assistantId ? { assistantId: o.assistantId } : {}) },
        });
        print({ logs: page.logs.map(watsonLogJson), next_cursor: nextCursor ?? null });
      }, o.instance));
}

export function registerAdminCommands(program: Command): void {
  keyCommands(program);
  logCommands(program);
  deletionCommands(program);
  catalogCommands(program);
}
