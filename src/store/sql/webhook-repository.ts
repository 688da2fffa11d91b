import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import type { WebhookDeliveryRecord, WebhookDeliveryStatus, WebhookEvent, WebhookRecord } from '../../model/webhooks.js';
import type { WebhookRepository } from '../store.js';
import type { Tables } from './tables.js';

function hookFromRow(r: Selectable<Tables['webhooks']>): WebhookRecord {
  return {
    webhookId: r.webhook_id, instanceId: r.instance_id, url: r.url, events: JSON.parse(r.events) as WebhookEvent[], secret: r.secret,
    createdAt: Number(r.created_at),
  };
}

function deliveryFromRow(r: Selectable<Tables['webhook_deliveries']>): WebhookDeliveryRecord {
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    deliveryId: r.delivery_id, webhookId: r.webhook_id, instanceId: r.instance_id, event: r.event as WebhookEvent, jobId: r.job_id,
    payload: r.payload, status: r.status as WebhookDeliveryStatus, attempts: Number(r.attempts), nextAttemptAt: Number(r.next_attempt_at),
    lastHttpStatus: num(r.last_http_status), lastError: r.last_error, createdAt: Number(r.created_at), finishedAt: num(r.finished_at),
  };
}

/** A deletion job's deliveries wait for the job row: they are written first so that no recorded job goes unannounced. */
const jobRecorded = sql<boolean>`EXISTS (SELECT 1 FROM deletion_jobs j WHERE j.job_id = webhook_deliveries.job_id)`;

/**
 * Webhooks and their outbox. Claims are single conditional UPDATEs, so two processes never send one delivery at the
 * same time; statements are ordered so a crash leaves at worst a delivery sent twice (receivers dedupe by its id).
 */
export function sqlWebhookRepository(db: Kysely<Tables>): WebhookRepository {
  return {
    async insert(h) {
      await db.insertInto('webhooks').values({
        webhook_id: h.webhookId, instance_id: h.instanceId, url: h.url, events: JSON.stringify(h.events), secret: h.secret, created_at: h.createdAt,
      }).execute();
    },
    async get(instanceId, webhookId) {
      const row = await db.selectFrom('webhooks').selectAll().where('instance_id', '=', instanceId).where('webhook_id', '=', webhookId).executeTakeFirst();
      return row && hookFromRow(row);
    },
    async list(instanceId) {
      let q = db.selectFrom('webhooks').selectAll().orderBy('created_at').orderBy('webhook_id');
      if (instanceId !== null) q = q.where('instance_id', '=', instanceId);
      return (await q.execute()).map(hookFromRow);
    },
    async delete(instanceId, webhookId) {
      const res = await db.deleteFrom('webhooks').where('instance_id', '=', instanceId).where('webhook_id', '=', webhookId).executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) return false;
      await db.deleteFrom('webhook_deliveries').where('instance_id', '=', instanceId).where('webhook_id', '=', webhookId).execute();
      return true;
    },
    async enqueue(deliveries) {
      if (!deliveries.length) return;
      await db.insertInto('webhook_deliveries').values(deliveries.map((d) => ({
        delivery_id: d.deliveryId, webhook_id: d.webhookId, instance_id: d.instanceId, event: d.event, job_id: d.jobId, payload: d.payload,
        status: d.status, attempts: d.attempts, next_attempt_at: d.nextAttemptAt, lease_owner: null, lease_until: null,
        last_http_status: d.lastHttpStatus, last_error: d.lastError, created_at: d.createdAt, finished_at: d.finishedAt,
      }))).onConflict((oc) => oc.columns(['webhook_id', 'event', 'job_id']).doNothing()).execute();
    },
    async claimDue(owner, now, leaseUntil, limit, perInstance = Number.MAX_SAFE_INTEGER) {
      const free = (eb: ExpressionBuilder<Tables, 'webhook_deliveries'>) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]);
      // Each instance's due deliveries ranked oldest first; taking them by rank is a round-robin across instances.
      const due = db.selectFrom('webhook_deliveries')
        .select((eb) => ['delivery_id', 'instance_id', 'next_attempt_at',
          eb.fn.agg<number>('row_number').over((ob) => ob.partitionBy('instance_id').orderBy('next_attempt_at').orderBy('delivery_id')).as('turn')])
        .where('status', '=', 'pending').where('next_attempt_at', '<=', now).where(free).where(jobRecorded);
      const inFlight = db.selectFrom('webhook_deliveries').select((eb) => ['instance_id', eb.fn.countAll<number>().as('n')])
        .where('status', '=', 'pending').where('lease_until', '>=', now).groupBy('instance_id');
      const candidates = await db.selectFrom(due.as('d')).leftJoin(inFlight.as('f'), 'f.instance_id', 'd.instance_id').select('d.delivery_id')
        .where(sql<number>`d.turn + coalesce(f.n, 0)`, '<=', perInstance)
        .orderBy('d.turn').orderBy('d.next_attempt_at').orderBy('d.delivery_id').limit(limit).execute();
      const claimed: WebhookDeliveryRecord[] = [];
      for (const { delivery_id: id } of candidates) {
        const row = await db.updateTable('webhook_deliveries').set({ lease_owner: owner, lease_until: leaseUntil })
          .where('delivery_id', '=', id).where('status', '=', 'pending').where(free)
          .returningAll().executeTakeFirst();
        if (row) claimed.push(deliveryFromRow(row));
      }
      return claimed;
    },
    async recordAttempt(deliveryId, owner, a) {
      const final = a.status !== 'pending';
      await db.updateTable('webhook_deliveries').set((eb) => ({
        status: a.status, attempts: eb('attempts', '+', 1), next_attempt_at: a.nextAttemptAt, last_http_status: a.httpStatus,
        last_error: a.error, lease_owner: null, lease_until: null,
        ...(final ? { payload: null, finished_at: a.at } : {}),
      })).where('delivery_id', '=', deliveryId).where('lease_owner', '=', owner).where('status', '=', 'pending').execute();
    },
    async deliveries(instanceId, webhookId, limit) {
      const rows = await db.selectFrom('webhook_deliveries').selectAll().where('instance_id', '=', instanceId).where('webhook_id', '=', webhookId)
        .orderBy('created_at', 'desc').orderBy('delivery_id', 'desc').limit(limit).execute();
      return rows.map(deliveryFromRow);
    },
    async withdrawRequested(jobId, now) {
      // Withdraw first: from then on no claim can take the request, so whatever is not withdrawn-unsent below was sent.
      const withdrawn = await db.updateTable('webhook_deliveries').set({ status: 'withdrawn', payload: null, finished_at: now })
        .where('job_id', '=', jobId).where('event', '=', 'deletion.requested').where('status', '=', 'pending')
        .returning(['webhook_id', 'lease_until']).execute();
      const inFlight = withdrawn.filter((r) => r.lease_until !== null && Number(r.lease_until) >= now).map((r) => r.webhook_id);
      const delivered = await db.selectFrom('webhook_deliveries').select('webhook_id')
        .where('job_id', '=', jobId).where('event', '=', 'deletion.requested').where('status', 'in', ['delivered', 'failed']).execute();
      return [...new Set([...inFlight, ...delivered.map((r) => r.webhook_id)])];
    },
    async dropOrphans(before) {
      const res = await db.deleteFrom('webhook_deliveries').where('status', '=', 'pending').where('created_at', '<', before)
        .where(sql<boolean>`NOT ${jobRecorded}`).executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  };
}
