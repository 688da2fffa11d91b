import type { Config } from '../config.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** Picks the engine from LETHE_DATABASE_URL. */
export function openStore(config: Pick<Config, 'databaseUrl' | 'sqliteSynchronous'> & Partial<Pick<Config, 'metricRules'>>): Store {
  const url = config.databaseUrl;
  if (url.startsWith('sqlite:')) return openSqliteStore(url, { synchronous: config.sqliteSynchronous }, config.metricRules);
  if (/^postgres(ql)?:\/\//.test(url)) {
    throw new Error('LETHE_DATABASE_URL: the PostgreSQL engine is not available in this version; use sqlite:<path>');
  }
  throw new Error(`LETHE_DATABASE_URL must start with sqlite: (got "${url.split(':')[0]}:…")`);
}
