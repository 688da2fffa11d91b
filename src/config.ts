import type { ServiceConfig } from './core/services.js';
import { setting } from './core/validation.js';
import { AddressPolicy } from './core/webhooks/address-policy.js';
import type { MetricRules } from './model/metric-rules.js';
import type { StoreSettings } from './store/open-store.js';

/**
 * Everything Lethe reads from the environment, read once at start-up: what opening the store and wiring the domain
 * read (StoreSettings, ServiceConfig), and what the server and the CLI read. Documented in README.md.
 */
export interface Config extends StoreSettings, ServiceConfig {
  port: number;
  host: string;
  /** The base of the links Lethe hands out (share links, export downloads); unset: the address it listens on. */
  publicUrl: string | undefined;
  adminKey: string | undefined;
  instance: string;
  logLevel: string;
  // Optional where they are read, always set here (from their documented defaults).
  metricRules: MetricRules;
  coverageThreshold: number;
  queryTimeoutMs: number;
  /** Requests a minute per API key (per client address without a valid key); 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** How long a client may take, and hold a connection, before it is cut off (README "Limits and abuse protection"). */
  clientTimeouts: ClientTimeouts;
  /** Open connections from one client address, and in all; 0: no cap. */
  maxConnectionsPerClient: number;
  maxConnections: number;
}

export interface ClientTimeouts {
  /** From the first byte of a request to the end of its headers. */
  headersMs: number;
  /** From the first byte of a request to the end of its body. */
  requestMs: number;
  /** A kept-alive connection with no request in progress. */
  keepAliveMs: number;
  /** A connection on which nothing is sent or received while a request is in progress. */
  idleMs: number;
}

const names = (value: string | undefined) => (value ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');

function threshold(value: string, name: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1) || value.trim() === '') throw new Error(`${name} must be a number from 0 to 1 (got "${value}")`);
  return n;
}

function clientTimeouts(env: NodeJS.ProcessEnv): ClientTimeouts {
  const t = {
    headersMs: setting.positiveInt(env.LETHE_HEADERS_TIMEOUT_MS ?? '10000', 'LETHE_HEADERS_TIMEOUT_MS'),
    requestMs: setting.positiveInt(env.LETHE_REQUEST_TIMEOUT_MS ?? '30000', 'LETHE_REQUEST_TIMEOUT_MS'),
    keepAliveMs: setting.positiveInt(env.LETHE_KEEP_ALIVE_TIMEOUT_MS ?? '72000', 'LETHE_KEEP_ALIVE_TIMEOUT_MS'),
    idleMs: setting.positiveInt(env.LETHE_IDLE_TIMEOUT_MS ?? '60000', 'LETHE_IDLE_TIMEOUT_MS'),
  };
  // The headers are part of the request: Node refuses a header bound longer than the whole request's.
  if (t.headersMs > t.requestMs) throw new Error(`LETHE_HEADERS_TIMEOUT_MS must not exceed LETHE_REQUEST_TIMEOUT_MS (got ${t.headersMs} and ${t.requestMs})`);
  return t;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: setting.port(env.PORT ?? '8080', 'PORT'),
    host: env.HOST ?? '127.0.0.1',
    publicUrl: env.LETHE_PUBLIC_URL ? setting.publicUrl(env.LETHE_PUBLIC_URL, 'LETHE_PUBLIC_URL') : undefined,
    databaseUrl: env.LETHE_DATABASE_URL ?? 'sqlite:./data/lethe.db',
    adminKey: env.LETHE_ADMIN_KEY ? setting.secret(env.LETHE_ADMIN_KEY, 'LETHE_ADMIN_KEY') : undefined,
    instance: setting.instanceId(env.LETHE_INSTANCE ?? 'default', 'LETHE_INSTANCE'),
    logLevel: env.LETHE_LOG_LEVEL ?? 'info',
    sessionTimeoutSeconds: setting.positiveInt(env.LETHE_SESSION_TIMEOUT_SECONDS ?? '300', 'LETHE_SESSION_TIMEOUT_SECONDS'),
    sqliteSynchronous: setting.oneOf(env.LETHE_SQLITE_SYNCHRONOUS ?? 'FULL', ['FULL', 'NORMAL'] as const, 'LETHE_SQLITE_SYNCHRONOUS'),
    jobLeaseMs: setting.positiveInt(env.LETHE_JOB_LEASE_MS ?? '15000', 'LETHE_JOB_LEASE_MS'),
    exportTtlHours: setting.positiveInt(env.LETHE_EXPORT_TTL_HOURS ?? '24', 'LETHE_EXPORT_TTL_HOURS'),
    retentionIntervalSeconds: setting.positiveInt(env.LETHE_RETENTION_INTERVAL_SECONDS ?? '60', 'LETHE_RETENTION_INTERVAL_SECONDS'),
    webhookMaxAttempts: setting.positiveInt(env.LETHE_WEBHOOK_MAX_ATTEMPTS ?? '8', 'LETHE_WEBHOOK_MAX_ATTEMPTS'),
    webhookRetryBaseMs: setting.positiveInt(env.LETHE_WEBHOOK_RETRY_BASE_MS ?? '30000', 'LETHE_WEBHOOK_RETRY_BASE_MS'),
    webhookTimeoutMs: setting.positiveInt(env.LETHE_WEBHOOK_TIMEOUT_MS ?? '10000', 'LETHE_WEBHOOK_TIMEOUT_MS'),
    webhookAddresses: AddressPolicy.parse(env.LETHE_WEBHOOK_ALLOW_HOSTS, 'LETHE_WEBHOOK_ALLOW_HOSTS'),
    metricRules: {
      escalationIntents: names(env.LETHE_METRICS_ESCALATION_INTENTS),
      escalationNodes: names(env.LETHE_METRICS_ESCALATION_NODES),
      fallbackIntents: names(env.LETHE_METRICS_FALLBACK_INTENTS),
      fallbackNodes: names(env.LETHE_METRICS_FALLBACK_NODES),
    },
    coverageThreshold: threshold(env.LETHE_METRICS_COVERAGE_THRESHOLD ?? '0.2', 'LETHE_METRICS_COVERAGE_THRESHOLD'),
    rateLimitPerMinute: setting.nonNegativeInt(env.LETHE_RATE_LIMIT_PER_MINUTE ?? '6000', 'LETHE_RATE_LIMIT_PER_MINUTE'),
    queryTimeoutMs: setting.positiveInt(env.LETHE_QUERY_TIMEOUT_MS ?? '10000', 'LETHE_QUERY_TIMEOUT_MS'),
    clientTimeouts: clientTimeouts(env),
    maxConnectionsPerClient: setting.nonNegativeInt(env.LETHE_MAX_CONNECTIONS_PER_CLIENT ?? '256', 'LETHE_MAX_CONNECTIONS_PER_CLIENT'),
    maxConnections: setting.nonNegativeInt(env.LETHE_MAX_CONNECTIONS ?? '1000', 'LETHE_MAX_CONNECTIONS'),
  };
}
