import { newId } from '../../model/ids.js';
import type { IngestWriter } from '../ingest/ingest-writer.js';
import type { EventRecord } from '../../model/events.js';
import type { InstanceSettings } from '../../model/settings.js';
import { applySettingsPatch, type SettingsPatch } from '../settings/instance-settings.js';
import type { SettingsRepository } from '../../store/store.js';
import type { AuditRecorder } from '../audit/audit-trail.js';
import type { EventType } from './event-schemas.js';
import { resolveUser, resolveVisitorId, type AnalyticsIdentity, type VisitorHints } from './identity.js';
import { storablePayload } from './normalize.js';
import { Visits } from './visits.js';

/** Facts about an event request that come from the transport, not the body. */
export interface EventContext {
  instanceId: string;
  canImpersonate: boolean;
  visitor: Omit<VisitorHints, 'clientId'>;
  ip: string | undefined;
  /** `DNT: 1` or `Sec-GPC: 1`: the sender asked not to be tracked. */
  doNotTrack: boolean;
  receivedAt: number;
}

export interface EventReceipt {
  visitId: string;
  visitorId: string;
  clientId: string;
  searchEventUid?: string;
}

const SETTINGS_TTL_MS = 5000;

/**
 * Usage-analytics ingestion: resolves who an event is about, masks what `anonymous` asks to mask, and commits the
 * event (through the shared group commit) before acknowledging it. Events are not stored at all when the sender
 * asks not to be tracked or the instance has collection switched off; the reply has the same shape either way, so
 * clients behave the same.
 */
export class Analytics {
  private readonly visits = new Visits();
  private readonly settings = new Map<string, { value: InstanceSettings; until: number }>();

  constructor(
    private readonly writer: IngestWriter,
    private readonly identity: AnalyticsIdentity,
    private readonly settingsRepo: SettingsRepository,
    private readonly audit: AuditRecorder,
  ) {}

  async record(ctx: EventContext, type: EventType | string, body: Record<string, unknown>, batchId: string | null = null): Promise<EventReceipt> {
    return this.commit(ctx, this.prepare(ctx, type, body, batchId));
  }

  /** `GET …/analytics/visit`: the visit the next event of this visitor would belong to, recording nothing. */
  async visit(ctx: EventContext): Promise<EventReceipt> {
    const visitorId = resolveVisitorId(ctx.visitor);
    return { visitId: this.visits.visitOf(ctx.instanceId, visitorId, ctx.receivedAt), visitorId, clientId: visitorId };
  }

  /**
   * `/searches`: every item shares one receive time and a batch ID, as Coveo documents. Every item is checked before
   * any is stored, so a refused item refuses the batch and stores nothing.
   */
  async recordSearches(ctx: EventContext, bodies: Record<string, unknown>[]): Promise<EventReceipt[]> {
    const batchId = newId();
    const events = bodies.map((b) => this.prepare(ctx, 'search', b, batchId));
    return Promise.all(events.map((e) => this.commit(ctx, e)));
  }

  /** Who the event is about and what is stored of it; throws (before anything is stored) on an identity it refuses. */
  private prepare(ctx: EventContext, type: string, body: Record<string, unknown>, batchId: string | null): { receipt: EventReceipt; event: EventRecord } {
    const clientId = typeof body.clientId === 'string' ? body.clientId : undefined;
    const visitorId = resolveVisitorId({ ...ctx.visitor, clientId });
    const receipt: EventReceipt = { visitId: this.visits.visitOf(ctx.instanceId, visitorId, ctx.receivedAt), visitorId, clientId: visitorId };
    // Time-ordered like every key: the event's unique index is appended to, not scattered into.
    if (type === 'search') receipt.searchEventUid = newId();
    const user = resolveUser(this.identity, ctx.instanceId, {
      username: typeof body.username === 'string' ? body.username : undefined,
      anonymous: body.anonymous === true, canImpersonate: ctx.canImpersonate, visitorId,
    });
    const event: EventRecord = {
      eventId: receipt.searchEventUid ?? newId(), instanceId: ctx.instanceId, type, userId: user.userId, visitorId,
      visitId: receipt.visitId, anonymous: body.anonymous === true, searchUid: searchUidOf(body),
      originLevel1: typeof body.originLevel1 === 'string' ? body.originLevel1 : null,
      language: typeof body.language === 'string' ? body.language : null,
      ipHash: ctx.ip ? this.identity.ipHash(ctx.instanceId, ctx.ip) : null, receivedTs: ctx.receivedAt, batchId,
      payload: storablePayload(body, user.username),
    };
    return { receipt, event };
  }

  private async commit(ctx: EventContext, { receipt, event }: { receipt: EventReceipt; event: EventRecord }): Promise<EventReceipt> {
    if (await this.collecting(ctx)) await this.writer.write({ event });
    return receipt;
  }

  async settingsOf(instanceId: string): Promise<InstanceSettings> {
    const cached = this.settings.get(instanceId);
    if (cached && cached.until > Date.now()) return cached.value;
    const value = await this.settingsRepo.get(instanceId);
    this.settings.set(instanceId, { value, until: Date.now() + SETTINGS_TTL_MS });
    return value;
  }

  /** The instance's settings as stored now (settingsOf may answer from a cache a few seconds old). */
  readSettings(instanceId: string): Promise<InstanceSettings> {
    return this.settingsRepo.get(instanceId);
  }

  /**
   * Changes the settings the patch names (applySettingsPatch checks it before anything is stored) and returns them
   * all; `actor` (actors.ts) is who the audit trail records as changing them.
   */
  async updateSettings(instanceId: string, patch: SettingsPatch, actor: string): Promise<InstanceSettings> {
    const before = await this.settingsRepo.get(instanceId);
    const value = applySettingsPatch(before, patch);
    await this.settingsRepo.set(instanceId, value);
    this.settings.delete(instanceId);
    await this.audit.record({
      instanceId, actor, action: 'settings.update', target: instanceId,
      details: {
        analytics_enabled: value.analyticsEnabled, was_analytics_enabled: before.analyticsEnabled,
        log_retention_days: value.logRetentionDays, was_log_retention_days: before.logRetentionDays,
        event_retention_days: value.eventRetentionDays, was_event_retention_days: before.eventRetentionDays,
      },
    });
    return value;
  }

  private async collecting(ctx: EventContext): Promise<boolean> {
    return !ctx.doNotTrack && (await this.settingsOf(ctx.instanceId)).analyticsEnabled;
  }
}

function searchUidOf(body: Record<string, unknown>): string | null {
  const uid = body.searchQueryUid ?? body.lastSearchQueryUid ?? body.searchUid;
  // Coveo truncates searchQueryUid to 36 characters.
  return typeof uid === 'string' ? uid.slice(0, 36) : null;
}
