import { randomBytes } from 'node:crypto';
import { BadRequest, NotFound } from '../../model/errors.js';
import { newId } from '../../model/ids.js';
import { WEBHOOK_EVENTS, type WebhookDeliveryRecord, type WebhookEvent, type WebhookRecord } from '../../model/webhooks.js';
import type { DeletionJobRecord } from '../../model/deletion-jobs.js';
import type { JobRepository, LogRepository, WebhookRepository } from '../../store/store.js';
import { webhookBody } from './webhook-payloads.js';
import type { AuditRecorder } from '../audit/audit-trail.js';
import { literalAddress, type AddressPolicy } from './address-policy.js';

export interface CreatedWebhook {
  hook: WebhookRecord;
  /** Shown once, to whoever registered the webhook. */
  secret: string;
}

/**
 * What can be judged of a target before anything is sent: an http(s) URL without credentials, and, when it names an
 * IP address (in any spelling: the URL parser turns `2130706433`, `0x7f.1` or `[::ffff:7f00:1]` into one), an
 * address the policy permits. A host name is judged on every attempt, on the address it resolves to then.
 */
export function parseWebhookUrl(value: string, policy: AddressPolicy): string {
  let url: URL;
  try { url = new URL(value); } catch { throw new BadRequest('url must be an absolute http(s) URL'); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BadRequest('url must be an http(s) URL');
  if (url.username || url.password) throw new BadRequest('url must not carry credentials: verify the signature instead');
  const literal = literalAddress(url);
  if (literal !== null && !policy.permits(literal)) {
    throw new BadRequest('url must not name a loopback, private, link-local or other internal address (the operator may allow one with LETHE_WEBHOOK_ALLOW_HOSTS)');
  }
  return url.toString();
}

export function parseWebhookEvents(values: string[]): WebhookEvent[] {
  const unknown = values.filter((v) => !(WEBHOOK_EVENTS as readonly string[]).includes(v));
  if (unknown.length || !values.length) throw new BadRequest(`events must be one or more of ${WEBHOOK_EVENTS.join(', ')}`);
  return [...new Set(values)] as WebhookEvent[];
}

/** Webhooks registered per instance, and the announcements of deletion jobs that go to them through the outbox. */
export class Webhooks {
  constructor(
    private readonly repo: WebhookRepository,
    private readonly jobs: JobRepository,
    /** Scrubs the database files after pending deliveries that may hold subjects are removed or withdrawn. */
    private readonly files: Pick<LogRepository, 'eraseResidue'>,
    private readonly audit: AuditRecorder,
    private readonly addresses: AddressPolicy,
    /** Called after deliveries were queued, to send them at once instead of at the next poll. */
    private readonly onQueued: () => void = () => {},
  ) {}

  async register(instanceId: string, url: string, events: string[], actor: string, at = Date.now()): Promise<CreatedWebhook> {
    const hook: WebhookRecord = {
      webhookId: newId(), instanceId, url: parseWebhookUrl(url, this.addresses), events: parseWebhookEvents(events),
      secret: `whsec_${randomBytes(32).toString('base64url')}`, createdAt: at,
    };
    await this.repo.insert(hook);
    await this.audit.record({ instanceId, actor, action: 'webhook.create', target: hook.webhookId, details: { host: new URL(hook.url).host, events: hook.events.join(',') } });
    return { hook, secret: hook.secret };
  }

  list(instanceId: string | null): Promise<WebhookRecord[]> {
    return this.repo.list(instanceId);
  }

  async remove(instanceId: string, webhookId: string, actor: string): Promise<void> {
    if (!(await this.repo.delete(instanceId, webhookId))) throw new NotFound(`No webhook ${webhookId}`);
    await this.audit.record({ instanceId, actor, action: 'webhook.delete', target: webhookId });
    await this.files.eraseResidue();
  }

  async deliveries(instanceId: string, webhookId: string, limit = 100): Promise<WebhookDeliveryRecord[]> {
    if (!(await this.repo.get(instanceId, webhookId))) throw new NotFound(`No webhook ${webhookId}`);
    return this.repo.deliveries(instanceId, webhookId, limit);
  }

  /** Queues `deletion.requested`; called before the job is recorded, and delivered only once it is. */
  async announceRequested(job: DeletionJobRecord): Promise<void> {
    await this.announce('deletion.requested', job);
  }

  /** Queues `deletion.completed` with the job's receipt; announcing a job twice (a resumed job) sends once. */
  async announceCompleted(jobId: string): Promise<void> {
    const job = await this.jobs.get(jobId);
    if (job) await this.announce('deletion.completed', job);
  }

  /**
   * A cancelled job: its request announcements not yet sent are withdrawn, and every webhook that was (or may have
   * been) sent one is told it no longer stands, with `deletion.cancelled`.
   */
  async announceCancelled(job: DeletionJobRecord): Promise<void> {
    const told = new Set(await this.repo.withdrawRequested(job.jobId, Date.now()));
    if (told.size) await this.announce('deletion.cancelled', job, (h) => told.has(h.webhookId));
    // The withdrawn bodies (and the subject the cancellation erased from the job) leave the files too.
    await this.files.eraseResidue();
  }

  private async announce(
    event: WebhookEvent, job: DeletionJobRecord, to: (hook: WebhookRecord) => boolean = (h) => h.events.includes(event),
  ): Promise<void> {
    const hooks = (await this.repo.list(job.instanceId)).filter(to);
    if (!hooks.length) return;
    const at = Date.now();
    await this.repo.enqueue(hooks.map((h) => {
      const deliveryId = newId();
      return {
        deliveryId, webhookId: h.webhookId, instanceId: job.instanceId, event, jobId: job.jobId, payload: webhookBody(deliveryId, event, job, at),
        status: 'pending', attempts: 0, nextAttemptAt: at, lastHttpStatus: null, lastError: null, createdAt: at, finishedAt: null,
      };
    }));
    this.onQueued();
  }
}
