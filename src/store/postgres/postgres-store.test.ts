import { after } from 'node:test';
import { createTestDatabase, describePostgres, type TestDatabase } from '../../../test/helpers/postgres-database.js';
import { storeContract } from '../store.contract.js';
import { openPostgresStore } from './postgres-store.js';

describePostgres('PostgreSQL store', () => {
  let database: TestDatabase | undefined;
  after(async () => { await database?.drop(); });
  storeContract('postgres', async () => {
    database = await createTestDatabase('contract');
    return openPostgresStore(database.url);
  });
});
