import { after } from 'node:test';
import { createTestDatabase, describePostgres, type TestDatabase } from '../../../test/helpers/postgres-database.js';
import { storeContract } from '../store.contract.js';
import { privacyStoreContract } from '../privacy.contract.js';
import { retentionAndWebhookContract } from '../retention-webhooks.contract.js';
import { metricsContract } from '../metrics.contract.js';
import { openPostgresStore } from './postgres-store.js';

describePostgres('PostgreSQL store', () => {
  const databases: TestDatabase[] = [];
  after(async () => { await Promise.all(databases.map((d) => d.drop())); });
  /** Each suite on an empty database of its own, as the SQLite suites each get a file of their own. */
  const open = (label: string) => async () => {
    const database = await createTestDatabase(label);
    databases.push(database);
    return openPostgresStore(database.url);
  };
  storeContract('postgres', open('contract'));
  privacyStoreContract('postgres', open('privacy'));
  retentionAndWebhookContract('postgres', open('retention'));
  metricsContract('postgres', open('metrics'));
});
