import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { WebhookDeliveryRecord } from '../../model/webhooks.js';
import type { DeliveryAttempt, Store } from '../../store/store.js';
import { PollingWorker } from '../polling-loop.js';
import { signatureHeader } from './webhook-signature.js';
import type { PostResult, WebhookTransport } from './webhook-transport.js';

export interface DeliveryOptions {
  /** Attempts before a delivery is given up (its payload is erased either way). */
  maxAttempts: number;
  /** Delay before the first retry; each later retry waits twice as long as the one before. */
  retryBaseMs: number;
  /** Per attempt: a receiver that has not answered by then counts as failed. */
  timeoutMs: number;
}

/** Deliveries queued this long ago whose deletion job was never recorded belong to a request that failed. */
const ORPHAN_AFTER_MS = 60_000;
/** Attempts this process has in flight at once. */
export const MAX_IN_FLIGHT = 32;
/** Attempts in flight at once for one instance (counted by their leases, so across processes). */
export const PER_INSTANCE_IN_FLIGHT = 4;

/**
 * Sends queued webhook deliveries: claim (with a lease, so two processes never send one at the same time), sign,
 * POST, record the attempt, retry with exponential backoff. A delivery that ends (delivered or given up) loses its
 * stored body, and the database files are scrubbed after, so a subject sent for propagation does not stay here.
 *
 * Attempts run concurrently, each on its own: a pass claims what is due, round-robin across instances and at most
 * PER_INSTANCE_IN_FLIGHT per instance, starts the attempts and returns; each attempt that ends wakes the loop to
 * claim more. So one instance's slow receiver holds a few slots until its timeout, never another instance's turn.
 */
export class WebhookDeliveryWorker extends PollingWorker {
  readonly owner = randomUUID();
  private readonly sending = new Set<Promise<void>>();
  /** A delivery ended (its body erased) since the files were last scrubbed. */
  private ended = false;

  constructor(
    private readonly store: Store, private readonly log: Logger, private readonly opts: DeliveryOptions, private readonly transport: WebhookTransport,
  ) {
    super(Math.min(1000, opts.retryBaseMs), log, 'webhook delivery pass');
  }

  override async stop(): Promise<void> {
    await super.stop();
    await Promise.all([...this.sending]);
    await this.scrub();
  }

  /** Starts every due delivery there is room for, after scrubbing the files if a delivery ended since the last pass. */
  protected async pass(): Promise<void> {
    await this.scrub();
    await this.store.webhooks.dropOrphans(Date.now() - ORPHAN_AFTER_MS);
    while (this.loop.active && this.sending.size < MAX_IN_FLIGHT) {
      const now = Date.now();
      const due = await this.store.webhooks.claimDue(this.owner, now, now + this.opts.timeoutMs * 2 + 5000, MAX_IN_FLIGHT - this.sending.size, PER_INSTANCE_IN_FLIGHT);
      if (!due.length) break;
      for (const d of due) this.send(d);
    }
  }

  private send(d: WebhookDeliveryRecord): void {
    const sent: Promise<void> = this.attempt(d)
      .then((status) => { if (status !== 'pending') this.ended = true; })
      // The delivery stays leased and is tried again once its lease runs out.
      .catch((err: Error) => { this.log.error({ err: err.message, deliveryId: d.deliveryId }, 'webhook delivery attempt failed'); })
      .finally(() => { this.sending.delete(sent); this.wake(); });
    this.sending.add(sent);
  }

  private async scrub(): Promise<void> {
    if (!this.ended) return;
    this.ended = false;
    await this.store.logs.eraseResidue();
  }

  private async attempt(d: WebhookDeliveryRecord): Promise<DeliveryAttempt['status']> {
    const hook = await this.store.webhooks.get(d.instanceId, d.webhookId);
    // Removed meanwhile: its deliveries went with it.
    if (!hook) return 'pending';
    const started = Date.now();
    const result: PostResult = d.payload === null ? { httpStatus: null, error: 'payload missing', cause: null } : await this.transport.post(hook.url, {
      'content-type': 'application/json', 'user-agent': 'Lethe-Webhooks/1',
      'lethe-signature': signatureHeader(hook.secret, d.payload, Math.floor(Date.now() / 1000)), 'lethe-event': d.event, 'lethe-delivery': d.deliveryId,
    }, d.payload);
    const ok = result.httpStatus !== null && result.httpStatus >= 200 && result.httpStatus < 300;
    const attempts = d.attempts + 1;
    const status = ok ? 'delivered' : attempts >= this.opts.maxAttempts || d.payload === null ? 'failed' : 'pending';
    const nextAttemptAt = status === 'pending' ? Date.now() + this.opts.retryBaseMs * 2 ** (attempts - 1) : Date.now();
    await this.store.webhooks.recordAttempt(d.deliveryId, this.owner, { at: Date.now(), status, httpStatus: result.httpStatus, error: result.error, nextAttemptAt });
    this.log.info({
      webhookId: d.webhookId, deliveryId: d.deliveryId, event: d.event, attempt: attempts, httpStatus: result.httpStatus, cause: result.cause ?? undefined,
      status, ms: Date.now() - started,
    }, 'webhook delivery attempt');
    return status;
  }
}
