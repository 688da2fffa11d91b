#!/usr/bin/env node
import { Command } from 'commander';
import { readConfig } from '../config.js';
import { serve } from './serve.js';
import { registerAdminCommands } from './admin-commands.js';
import { registerDsrCommands } from './dsr-commands.js';
import { registerAuditCommands } from './audit-commands.js';
import { registerPrivacyCommands } from './privacy-commands.js';
import { registerRetentionAndWebhookCommands } from './retention-webhook-commands.js';
import { registerMetricsCommands } from './metrics-commands.js';

const program = new Command()
  .name('lethe')
  .description('Conversation logs and usage analytics with data-subject rights built in. Configuration: see README.');

program.command('serve').description('start the HTTP server').action(async () => {
  const server = await serve(readConfig());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => { void server.close().then(() => process.exit(0)); });
  }
});

registerAdminCommands(program);
registerDsrCommands(program);
registerAuditCommands(program);
registerPrivacyCommands(program);
registerRetentionAndWebhookCommands(program);
registerMetricsCommands(program);

program.parseAsync().catch((err: Error) => {
  process.stderr.write(`lethe: ${err.message}\n`);
  process.exit(1);
});
