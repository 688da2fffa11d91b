import type { Config } from '../config.js';
import { createServices } from '../core/services.js';
import { buildServer } from '../http/server.js';
import { createLogger } from '../logger.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

const MAINTENANCE_MS = 60_000;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Starts the server; resolves with a function that shuts it down cleanly (used by signals and tests). The store is
 * opened from the config unless one is given (the benchmark's ceiling server wraps it); either way the server closes it.
 */
export async function serve(config: Config, opened?: Store): Promise<{ url: string; close: () => Promise<void> }> {
  const log = createLogger(config.logLevel);
  const store = opened ?? await openStore(config);
  const services = await createServices(store, config, log);
  const generated = await services.keys.ensureAdmin(config.instance, config.adminKey);
  if (generated) {
    // Straight to the terminal, not the log: this secret is shown once and must not end up in log storage.
    process.stderr.write(`\nGenerated an admin API key for instance "${config.instance}" (shown only this once):\n\n  ${generated}\n\n`);
  }
  const app = await buildServer(services, log, {
    sessionTimeoutSeconds: config.sessionTimeoutSeconds, rateLimitPerMinute: config.rateLimitPerMinute, publicUrl: config.publicUrl,
    clientTimeouts: config.clientTimeouts, maxConnectionsPerClient: config.maxConnectionsPerClient, maxConnections: config.maxConnections,
  });
  services.runner.start();
  services.retention.start();
  services.deliveries.start();
  services.compactor.start();
  // Expired sessions and exports are erased, and exports interrupted by a restart are finished.
  const maintain = () => {
    services.sessions.purgeExpired().catch((err: Error) => log.error({ err: err.message }, 'session purge failed'));
    services.exports.maintain().catch((err: Error) => log.error({ err: err.message }, 'export maintenance failed'));
  };
  maintain();
  const purge = setInterval(maintain, MAINTENANCE_MS);
  purge.unref();
  const url = await app.listen({ port: config.port, host: config.host });
  log.info({ url, engine: store.engine }, 'lethe listening');
  if (config.publicUrl === undefined && !LOOPBACK.has(config.host)) {
    log.warn({ url }, 'LETHE_PUBLIC_URL is not set: share and download links name the address listened on');
  }

  let closing: Promise<void> | undefined;
  const close = () => (closing ??= (async () => {
    clearInterval(purge);
    await app.close();
    await services.writer.drain();
    await services.runner.stop();
    await services.retention.stop();
    await services.deliveries.stop();
    await services.compactor.stop();
    await store.close();
  })());
  return { url, close };
}
