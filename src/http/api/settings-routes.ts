import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../core/services.js';
import { actorOf } from '../actor.js';
import { MAX_RETENTION_DAYS } from '../../core/settings/instance-settings.js';
import { settingsJson } from '../../views/api/settings.js';
import { principalOf } from '../auth.js';

// One type list, not a union: with the server's type coercion a union would let 0 match its null branch.
const RetentionDays = Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: 1, maximum: MAX_RETENTION_DAYS });
/** Every field is optional: a PUT changes the fields it names. */
const Settings = Type.Object({
  analytics_enabled: Type.Optional(Type.Boolean()),
  log_retention_days: Type.Optional(RetentionDays),
  event_retention_days: Type.Optional(RetentionDays),
}, { additionalProperties: false });

/** Per-instance settings; admin only. */
export function settingsRoutes(services: Services): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const config = { privilege: 'admin' as const };
    app.get('/settings', { config }, async (req) => settingsJson(await services.analytics.readSettings(principalOf(req).instanceId)));
    app.put('/settings', { config, schema: { body: Settings } }, async (req) => {
      return settingsJson(await services.analytics.updateSettings(principalOf(req).instanceId, {
        analyticsEnabled: req.body.analytics_enabled, logRetentionDays: req.body.log_retention_days, eventRetentionDays: req.body.event_retention_days,
      }, actorOf(req)));
    });
  };
}
