import pino from 'pino';
import { createServices } from '../../src/core/services.js';
import { readConfig } from '../../src/config.js';
import { buildServer } from '../../src/http/server.js';
import { registeredRoutes, type RegisteredRoute } from '../../src/http/route-table.js';
import { openStore } from '../../src/store/open-store.js';

/** Every route the real server registers, read from a server built in this process on a throwaway database. */
export async function serverRoutes(): Promise<RegisteredRoute[]> {
  const config = readConfig({ LETHE_DATABASE_URL: 'sqlite::memory:' });
  const store = await openStore(config);
  const services = await createServices(store, config, pino({ level: 'silent' }));
  const app = await buildServer(services, pino({ level: 'silent' }), { sessionTimeoutSeconds: 300, rateLimitPerMinute: config.rateLimitPerMinute });
  await app.ready();
  const routes = [...registeredRoutes(app)];
  await app.close();
  await services.writer.drain();
  await store.close();
  return routes;
}
