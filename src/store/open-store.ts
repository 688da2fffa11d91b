import type { MetricRules } from '../model/metric-rules.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** What opening a store reads from the configuration (config.ts reads it from the environment, with the rest). */
export interface StoreSettings {
  databaseUrl: string;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /** What counts as an escalation or a fallback in the metrics (README "Metrics"); unset: DEFAULT_METRIC_RULES. */
  metricRules?: MetricRules;
  /** How long a heavy read (a page or count of logs) may run before it is stopped with a 503; unset: DEFAULT_QUERY_TIMEOUT_MS. */
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
