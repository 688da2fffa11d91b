import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Privilege } from '../model/privileges.js';

export interface RegisteredRoute {
  method: string;
  url: string;
  /** The privilege the route declared; undefined for a public route. */
  privilege: Privilege | undefined;
}

const tables = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Records every route registered on `app` from now on, so tests can check each one without a list kept by hand. */
export function recordRoutes(app: FastifyInstance): void {
  const table: RegisteredRoute[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) table.push({ method, url: route.url, privilege: route.config?.privilege });
  });
}

/** Every route of a server built by `buildServer` (not exposed over HTTP: the table is for tests). */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return tables.get(app) ?? [];
}
