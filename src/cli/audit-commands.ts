import type { Command } from 'commander';
import { parseExpectedHead } from '../core/audit/expected-head.js';
import { auditHeadJson, auditPageJson, auditVerificationJson } from '../views/api/audit.js';
import { instanceOption, print, withServices } from './admin-commands.js';

interface Scope {
  instance?: string;
  allInstances?: boolean;
}

/** `lethe audit list|head|verify`: read and check the audit trail straight from the database. */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit trail of privileged operations');

  audit.command('list').description('entries, newest first (one page; pass --before for the next)')
    .option('--limit <n>', 'page size, 1-1000', '100')
    .option('--before <seq>', 'next_before of the previous page')
    .option(...instanceOption)
    .action((o: { limit: string; before?: string; instance?: string }) => withServices(async (s, instance) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new Error('--limit must be an integer from 1 to 1000');
      const beforeSeq = o.before === undefined ? undefined : Number(o.before);
      if (beforeSeq !== undefined && !(Number.isInteger(beforeSeq) && beforeSeq > 0)) throw new Error('--before must be a positive integer');
      print(auditPageJson(await s.audit.list(instance, { beforeSeq, limit })));
    }, o.instance));

  audit.command('head').description('the newest entry\'s seq and hash; record its "anchor" outside Lethe to detect truncation later')
    .option('--all-instances', 'the head of every instance')
    .option(...instanceOption)
    .action((o: Scope) => withServices(async (s, instance) => {
      const instances = o.allInstances ? await s.audit.instances() : [instance];
      const heads = await Promise.all(instances.map(async (id) => auditHeadJson(id, await s.audit.head(id))));
      print(o.allInstances ? heads : heads[0]);
    }, o.instance));

  audit.command('verify').description('walk the chain; exits with 1 and names the first broken entry when it was tampered with')
    .option('--expect-head <anchor>', '"<seq>:<hash>" (or a hash) printed by `lethe audit head` earlier: also detects a removed tail')
    .option('--all-instances', 'verify every instance\'s chain')
    .option(...instanceOption)
    .action((o: Scope & { expectHead?: string }) => withServices(async (s, instance) => {
      if (o.expectHead !== undefined && o.allInstances) throw new Error('--expect-head names one instance\'s head; use it with --instance');
      const expected = o.expectHead === undefined ? undefined : parseExpectedHead(o.expectHead);
      const instances = o.allInstances ? await s.audit.instances() : [instance];
      const results = [];
      for (const id of instances) results.push(await s.audit.verify(id, expected));
      print(o.allInstances ? results.map(auditVerificationJson) : auditVerificationJson(results[0]!));
      for (const r of results) {
        if (!r.broken) continue;
        process.stderr.write(`lethe: the audit trail of instance "${r.instanceId}" is broken at entry ${r.broken.seq} (${r.broken.problem}): ${r.broken.message}\n`);
        process.exitCode = 1;
      }
    }, o.instance));
}
