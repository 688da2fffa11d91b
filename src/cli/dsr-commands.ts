import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { jobJson } from '../views/api/jobs.js';
import { subjectLookupJson } from '../views/api/subjects.js';
import { accessDocument, archive, documentHead } from '../views/api/subject-documents.js';
import type { Subject } from '../model/subjects.js';
import { instanceOption, print, waitForJob, withServices } from './admin-commands.js';
import { operatorActor } from './operator-actor.js';

interface SubjectOptions { customerId?: string; userId?: string; visitorId?: string; instance?: string }

function subjectOf(o: SubjectOptions): Subject {
  const given = ([['customer_id', o.customerId], ['user_id', o.userId], ['visitor_id', o.visitorId]] as const)
    .filter((pair): pair is readonly [Subject['kind'], string] => pair[1] !== undefined);
  if (given.length !== 1) throw new Error('name the person with exactly one of --customer-id, --user-id, --visitor-id');
  const [kind, value] = given[0]!;
  return { kind, value };
}

function withSubject(command: Command): Command {
  return command
    .option('--customer-id <id>', 'a customer ID (X-Watson-Metadata)')
    .option('--user-id <id>', 'a user ID (Watson context, or a Coveo username: its visitor ID and pseudonym are included)')
    .option('--visitor-id <id>', 'a Coveo visitor ID')
    .option(...instanceOption);
}

/** `lethe dsr …`: data-subject requests from the operator's shell, on the database of LETHE_DATABASE_URL. */
export function registerDsrCommands(program: Command): void {
  const dsr = program.command('dsr').description('data-subject requests: find, access, export, delete, cancel');
  withSubject(dsr.command('find').description('what is held on a person, per table, and their deletion jobs'))
    .action((o: SubjectOptions) => withServices(async (s, instance) => {
      print(subjectLookupJson(await s.subjectData.find(instance, subjectOf(o), operatorActor())));
    }, o.instance));
  withSubject(dsr.command('access').description('everything held on a person, as one JSON document on stdout'))
    .action((o: SubjectOptions) => withServices(async (s, instance) => {
      const { lookup, sections } = await s.subjectData.readOut(instance, subjectOf(o), operatorActor(), 'access');
      await pipeline(Readable.from(accessDocument(documentHead(lookup, instance), sections)), process.stdout, { end: false });
    }, o.instance));
  withSubject(dsr.command('export').description('everything held on a person, as a ZIP archive of JSON Lines files'))
    .requiredOption('--out <file>', 'where to write the archive')
    .action((o: SubjectOptions & { out: string }) => withServices(async (s, instance) => {
      const { lookup, sections } = await s.subjectData.readOut(instance, subjectOf(o), operatorActor(), 'export');
      await pipeline(Readable.from(archive(documentHead(lookup, instance), sections)), createWriteStream(o.out));
      print({ file: o.out, subject: lookup.subject, holdings: lookup.holdings });
    }, o.instance));
  withSubject(dsr.command('delete').description('delete everything held on a person, received before now, and verify it'))
    .option('--no-wait', 'queue the job and return at once')
    .action((o: SubjectOptions & { wait: boolean }) => withServices(async (s, instance) => {
      const job = await s.deletions.request(instance, subjectOf(o), operatorActor());
      print(o.wait ? await waitForJob(s, job.jobId) : jobJson(job));
    }, o.instance));
  dsr.command('cancel <jobId>').description('cancel a deletion job that no worker has started')
    .action((jobId: string) => withServices(async (s) => { print(jobJson(await s.deletions.cancel(jobId, null, operatorActor()))); }));
}
