/** The events a webhook subscribes to. */
export const WEBHOOK_EVENTS = ['deletion.requested', 'deletion.completed'] as const;
/**
 * What a delivery carries: a subscribed event, or the retraction of a `deletion.requested` already sent for a job
 * that was then cancelled (it goes wherever the request went, whatever the subscription).
 */
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number] | 'deletion.cancelled';

export interface WebhookRecord {
  webhookId: string;
  instanceId: string;
  url: string;
  events: WebhookEvent[];
  /** HMAC key of the signatures; kept in clear because signing needs it, shown to the admin only at creation. */
  secret: string;
  createdAt: number;
}

/** `withdrawn`: a request announcement not yet delivered when its job was cancelled; it is never sent. */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed' | 'withdrawn';

export interface WebhookDeliveryRecord {
  deliveryId: string;
  webhookId: string;
  instanceId: string;
  event: WebhookEvent;
  /** The deletion job the delivery is about. */
  jobId: string;
  /** The exact body sent (signatures cover its bytes); erased once delivered or given up. */
  payload: string | null;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastHttpStatus: number | null;
  lastError: string | null;
  createdAt: number;
  finishedAt: number | null;
}
