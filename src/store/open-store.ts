import type { Config } from '../config.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** Picks the engine from LETHE_DATABASE_URL. */
export async function openStore(
  config: Pick<Config, 'databaseUrl' | 'sqliteSynchronous'> & Partial<Pick<Config, 'metricRules' | 'queryTimeoutMs'>>,
): Promise<Store> {
  const url = config.databaseUrl;
  const { queryTimeoutMs } = config;
  if (url.startsWith('sqlite:')) return openSqliteStore(url, { synchronous: config.sqliteSynchronous, queryTimeoutMs }, config.metricRules);
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgresStore(url, { rules: config.metricRules, queryTimeoutMs });
  throw new Error(`LETHE_DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:…")`);
}
