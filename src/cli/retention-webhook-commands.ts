import type { Command } from 'commander';
import type { SettingsPatch } from '../core/settings/instance-settings.js';
import { retentionRunJson } from '../views/api/retention-runs.js';
import { settingsJson } from '../views/api/settings.js';
import { deliveryJson, webhookJson } from '../views/api/webhooks.js';
import { instanceOption, print, withServices } from './admin-commands.js';
import { operatorActor } from './operator-actor.js';

/** `30`, or `off` for keep forever. */
function retentionDays(value: string, name: string): number | null {
  if (value === 'off') return null;
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a number of days or "off" (got "${value}")`);
  return Number(value);
}

function flag(value: string, name: string): boolean {
  if (value !== 'true' && value !== 'false') throw new Error(`${name} must be true or false (got "${value}")`);
  return value === 'true';
}

function settingsCommands(program: Command): void {
  const settings = program.command('settings').description('per-instance settings (analytics collection, retention)');
  settings.command('show').option(...instanceOption)
    .action((o: { instance?: string }) => withServices(async (s, instance) => {
      print(settingsJson(await s.analytics.readSettings(instance)));
    }, o.instance));
  settings.command('set').description('change the settings named; the others keep their value')
    .option('--analytics-enabled <bool>', 'true or false')
    .option('--log-retention-days <days>', '1-3650, or "off" to keep logs forever')
    .option('--event-retention-days <days>', '1-3650, or "off" to keep events forever')
    .option(...instanceOption)
    .action((o: { analyticsEnabled?: string; logRetentionDays?: string; eventRetentionDays?: string; instance?: string }) => withServices(async (s, instance) => {
      const patch: SettingsPatch = {
        ...(o.analyticsEnabled !== undefined ? { analyticsEnabled: flag(o.analyticsEnabled, '--analytics-enabled') } : {}),
        ...(o.logRetentionDays !== undefined ? { logRetentionDays: retentionDays(o.logRetentionDays, '--log-retention-days') } : {}),
        ...(o.eventRetentionDays !== undefined ? { eventRetentionDays: retentionDays(o.eventRetentionDays, '--event-retention-days') } : {}),
      };
      print(settingsJson(await s.analytics.updateSettings(instance, patch, operatorActor())));
    }, o.instance));
}

function retentionCommands(program: Command): void {
  const retention = program.command('retention').description('what the retention worker deleted');
  retention.command('runs').description('runs that deleted something, newest first')
    .option('--limit <n>', 'how many, 1-1000', '100')
    .option('--all-instances', 'runs of every instance')
    .option(...instanceOption)
    .action((o: { limit: string; allInstances?: boolean; instance?: string }) => withServices(async (s, instance) => {
      print((await s.retention.runs(o.allInstances ? null : instance, Number(o.limit))).map(retentionRunJson));
    }, o.instance));
}

function webhookCommands(program: Command): void {
  const webhooks = program.command('webhooks').description('webhooks that propagate deletions to linked services');
  webhooks.command('add').description('register a webhook and print its signing secret once')
    .requiredOption('--url <url>', 'http(s) URL that receives POSTs')
    .option('--events <list>', 'comma-separated: deletion.requested, deletion.completed', 'deletion.requested,deletion.completed')
    .option(...instanceOption)
    .action((o: { url: string; events: string; instance?: string }) => withServices(async (s, instance) => {
      const { hook, secret } = await s.webhooks.register(instance, o.url, o.events.split(',').map((e) => e.trim()), operatorActor());
      print({ ...webhookJson(hook), secret });
    }, o.instance));
  webhooks.command('list').description('list webhooks (never their secrets)').option('--all-instances', 'webhooks of every instance')
    .option(...instanceOption)
    .action((o: { allInstances?: boolean; instance?: string }) => withServices(async (s, instance) => {
      print((await s.webhooks.list(o.allInstances ? null : instance)).map(webhookJson));
    }, o.instance));
  webhooks.command('remove <webhookId>').description('remove a webhook and its queued deliveries').option(...instanceOption)
    .action((webhookId: string, o: { instance?: string }) => withServices(async (s, instance) => {
      await s.webhooks.remove(instance, webhookId, operatorActor());
      print({ removed: webhookId });
    }, o.instance));
  webhooks.command('deliveries <webhookId>').description('recent deliveries: status, attempts, last HTTP status').option(...instanceOption)
    .action((webhookId: string, o: { instance?: string }) => withServices(async (s, instance) => {
      print((await s.webhooks.deliveries(instance, webhookId)).map(deliveryJson));
    }, o.instance));
}

export function registerRetentionAndWebhookCommands(program: Command): void {
  settingsCommands(program);
  retentionCommands(program);
  webhookCommands(program);
}
