/**
 * A separate process appending to one database's audit trail, as a second server would:
 * `node --import tsx test/helpers/audit-appender.ts <database url> <instance> <count> <actor>`; appends once told to on stdin.
 */
import { AuditTrail } from '../../src/core/audit/audit-trail.js';
import { SubjectHasher } from '../../src/core/subjects/subject-hash.js';
import { openStore } from '../../src/store/open-store.js';

const [url, instanceId, count, actor] = process.argv.slice(2) as [string, string, string, string];
const store = await openStore({ databaseUrl: url, sqliteSynchronous: 'NORMAL' });
const audit = new AuditTrail(store.audit, await SubjectHasher.load(store.secrets));
// Both writers start together: each says it is ready, then waits for the test's go-ahead on stdin.
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.pause();
for (let i = 0; i < Number(count); i++) {
  await audit.record({ instanceId, actor, action: 'test.append', target: `${actor}-${i}` });
}
await store.close();
