import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { metricsContract } from '../metrics.contract.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'lethe-sqlite-metrics-'));
after(() => rmSync(dir, { recursive: true, force: true }));

metricsContract('sqlite', async () => openSqliteStore(`sqlite:${join(dir, 'metrics.db')}`, { synchronous: 'NORMAL' }));
