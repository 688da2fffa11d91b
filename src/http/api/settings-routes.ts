import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { actorOf } from '../actor.js';
import { principalOf } from '../auth.js';

const Settings = Type.Object({ analytics_enabled: Type.Boolean() }, { additionalProperties: false });

/** Per-instance settings; admin only. */
export function settingsRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const config = { privilege: 'admin' as const };
    app.get('/settings', { config }, async (req) => {
      const s = await services.analytics.settingsOf(principalOf(req).instanceId);
      return { analytics_enabled: s.analyticsEnabled };
    });
    app.put('/settings', { config, schema: { body: Settings } }, async (req) => {
      await services.analytics.updateSettings(principalOf(req).instanceId, { analyticsEnabled: req.body.analytics_enabled }, actorOf(req));
      return req.body;
    });
  };
}
