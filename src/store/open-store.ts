import type { MetricRules } from '../model/metric-rules.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** What opening a store reads from the configuration (config.ts documents each setting). */
export interface StoreSettings {
  databaseUrl: string;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  metricRules?: MetricRules;
  queryTimeoutMs?: number;
}

/** Picks the engine from LETHE_DATABASE_URL. */
export async function openStore(config: StoreSettings): Promise<Store> {
  const url = config.databaseUrl;
  const { queryTimeoutMs } = config;
  if (url.startsWith('sqlite:')) return openSqliteStore(url, { synchronous: config.sqliteSynchronous, queryTimeoutMs }, config.metricRules);
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgresStore(url, { rules: config.metricRules, queryTimeoutMs });
  throw new Error(`LETHE_DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:…")`);
}
