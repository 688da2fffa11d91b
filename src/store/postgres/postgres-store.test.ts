import { after, describe } from 'node:test';
import { createTestDatabase, skipPostgres, type TestDatabase } from '../../../test/helpers/postgres-database.js';
import { storeContract } from '../store.contract.js';
import { openPostgresStore } from './postgres-store.js';

// Without a server the suite is reported as skipped, with the reason, rather than silently absent.
describe('PostgreSQL store', { skip: skipPostgres }, () => {
  let database: TestDatabase | undefined;
  after(async () => { await database?.drop(); });
  storeContract('postgres', async () => {
    database = await createTestDatabase('contract');
    return openPostgresStore(database.url);
  });
});
