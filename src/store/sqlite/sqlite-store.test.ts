import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { storeContract } from '../store.contract.js';
import { privacyStoreContract } from '../privacy.contract.js';
import { retentionAndWebhookContract } from '../retention-webhooks.contract.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'lethe-sqlite-contract-'));
after(() => rmSync(dir, { recursive: true, force: true }));

storeContract('sqlite', async () => openSqliteStore(`sqlite:${join(dir, 'contract.db')}`, { synchronous: 'FULL' }));
privacyStoreContract('sqlite', async () => openSqliteStore('sqlite::memory:', { synchronous: 'FULL' }));
retentionAndWebhookContract('sqlite', async () => openSqliteStore(`sqlite:${join(dir, 'retention.db')}`, { synchronous: 'FULL' }));
