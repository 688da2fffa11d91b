import type { WebhookDeliveryRecord, WebhookRecord } from '../../model/webhooks.js';
import { iso } from '../iso.js';

/** A webhook as listed: never its secret. */
export function webhookJson(h: WebhookRecord) {
  return { webhook_id: h.webhookId, instance_id: h.instanceId, url: h.url, events: h.events, created: iso(h.createdAt) };
}

/** A delivery's state; never its body (a deletion.requested body names the subject). */
export function deliveryJson(d: WebhookDeliveryRecord) {
  return {
    delivery_id: d.deliveryId, event: d.event, job_id: d.jobId, status: d.status, attempts: d.attempts,
    last_http_status: d.lastHttpStatus, last_error: d.lastError, created: iso(d.createdAt),
    next_attempt: d.status === 'pending' ? iso(d.nextAttemptAt) : null, finished: iso(d.finishedAt),
  };
}
