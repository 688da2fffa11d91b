/**
 * A separate process appending to one database's audit trail, as a second server would:
 * `node --import tsx test/helpers/audit-appender.ts <database url> <instance> <per round> <actor>`.
 * It says "ready", then appends a round of entries for each "go" line on stdin, saying "ready" after each, until stdin ends.
 */
import { createInterface } from 'node:readline';
import { AuditTrail } from '../../src/core/audit/audit-trail.js';
import { SubjectHasher } from '../../src/core/subjects/subject-hash.js';
import { openStore } from '../../src/store/open-store.js';

const [url, instanceId, perRound, actor] = process.argv.slice(2) as [string, string, string, string];
const store = await openStore({ databaseUrl: url, sqliteSynchronous: 'NORMAL' });
const audit = new AuditTrail(store.audit, await SubjectHasher.load(store.secrets));
let appended = 0;
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line !== 'go') continue;
  for (let i = 0; i < Number(perRound); i++) {
    await audit.record({ instanceId, actor, action: 'test.append', target: `${actor}-${appended++}` });
  }
  process.stdout.write('ready\n');
}
await store.close();
